/**
 * Launching a stack: a name, a template (uploaded or pasted) with its environment and files, the parameter form
 * generated from the template (every constraint checked before anything is sent), and the stack options.
 * Problems of the template are listed at their line:column; a refused create shows the API's reasons, next to
 * the fields they are about when they name one.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client.js';
import type { Problem } from '../api/types.js';
import { checkForm, formSections, parametersToSend } from '../params/form-model.js';
import { fieldId, ParamForm } from '../params/param-form.js';
import { offsetOf, ProblemList } from '../params/problem-list.js';
import { NO_INPUTS, requestFields, TemplateSource, type TemplateInputs } from '../params/template-source.js';
import { useValidation } from '../params/use-validation.js';
import { href, navigate } from '../router.js';
import { Banner } from '../ui/banner.js';
import { messageOf } from '../ui/format.js';

/** Heat's stack name rule. */
export const STACK_NAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$/;

/** Field errors named by a refused request (`parameters.NAME` paths, or Heat's "Parameter 'NAME' is invalid"). */
export function fieldErrorsOf(error: ApiError): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: Problem[] = error.problems.length
    ? [...error.problems]
    : [{ type: error.type, message: error.message }];
  for (const p of problems) {
    const byPath = p.path?.startsWith('parameters.') ? p.path.slice('parameters.'.length) : undefined;
    const byMessage = /^Parameter '([^']+)' is invalid: (.*)$/s.exec(p.message);
    const name = byPath ?? byMessage?.[1];
    if (name) out[name] = byMessage ? byMessage[2]! : p.message;
  }
  return out;
}

/** Moves the caret of a textarea to a problem's line:column. */
export function locate(area: HTMLTextAreaElement | null, text: string, p: Problem): void {
  if (!area || p.line === undefined) return;
  const start = offsetOf(text, p.line, p.column ?? 1);
  const end = text.indexOf('\n', start);
  area.focus();
  area.setSelectionRange(start, end < 0 ? text.length : end);
}

/** The launch page. */
export function LaunchPage(props: { client: ApiClient }) {
  const [name, setName] = useState('');
  const [inputs, setInputs] = useState<TemplateInputs>(NO_INPUTS);
  const [values, setValues] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [timeoutMins, setTimeoutMins] = useState('');
  const [rollback, setRollback] = useState(true);
  const [tags, setTags] = useState('');
  const [sending, setSending] = useState(false);
  const [createError, setCreateError] = useState<ApiError | undefined>(undefined);
  const [serverFieldErrors, setServerFieldErrors] = useState<Record<string, string>>({});
  const templateRef = useRef<HTMLTextAreaElement>(null);
  const envRef = useRef<HTMLTextAreaElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  const body = inputs.template.trim() ? requestFields(inputs) : undefined;
  const validation = useValidation(props.client, body);
  const sections = validation.result ? formSections(validation.result) : [];
  const fields = sections.flatMap((s) => s.fields);

  useEffect(() => {
    setValues((v) => {
      const next = { ...v };
      for (const f of fields) if (!(f.name in next)) next[f.name] = f.hidden ? '' : f.defaultText;
      return next;
    });
  }, [validation.result]);

  const fieldErrors = checkForm(fields, values);
  const nameError = !name.trim()
    ? 'A stack name is required.'
    : !STACK_NAME.test(name)
      ? 'Use letters, digits, "_", "-" and "." only, starting with a letter (at most 255 characters).'
      : undefined;
  const timeoutError =
    timeoutMins.trim() && !/^[1-9]\d*$/.test(timeoutMins.trim()) ? 'A whole number of minutes.' : undefined;
  const shown: Record<string, string> = {};
  for (const f of fields) {
    const e = serverFieldErrors[f.name] ?? fieldErrors[f.name];
    if (e && (submitted || touched.has(f.name) || serverFieldErrors[f.name])) shown[f.name] = e;
  }
  const blocking = [
    ...(nameError ? [{ id: 'stack-name', label: 'Stack name', message: nameError }] : []),
    ...(!inputs.template.trim()
      ? [{ id: 'template-text', label: 'Template', message: 'A template is required.' }]
      : []),
    ...Object.entries(fieldErrors).map(([n, message]) => ({
      id: fieldId(n),
      label: fields.find((f) => f.name === n)?.label ?? n,
      message,
    })),
    ...(timeoutError ? [{ id: 'timeout', label: 'Timeout', message: timeoutError }] : []),
  ];

  const setValue = (n: string, v: string) => {
    setValues((old) => ({ ...old, [n]: v }));
    setServerFieldErrors(({ [n]: _gone, ...rest }) => rest);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    setCreateError(undefined);
    if (blocking.length > 0 || validation.error || !validation.result) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setSending(true);
    try {
      const created = await props.client.post<{ stack: { id: string } }>('/stacks', {
        stack_name: name.trim(),
        ...requestFields(inputs),
        parameters: parametersToSend(fields, values),
        disable_rollback: !rollback,
        ...(timeoutMins.trim() ? { timeout_mins: Number(timeoutMins) } : {}),
        ...(tags.trim() ? { tags: tags.trim() } : {}),
      });
      navigate({ page: 'stack', name: name.trim(), id: created.stack.id, tab: 'topology' });
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(0, 'Error', messageOf(err));
      setCreateError(error);
      setServerFieldErrors(fieldErrorsOf(error));
      requestAnimationFrame(() => summaryRef.current?.focus());
    } finally {
      setSending(false);
    }
  };

  const onLocate = (p: Problem) =>
    p.file === 'environment.yaml'
      ? locate(envRef.current, inputs.environment, p)
      : locate(templateRef.current, inputs.template, p);

  return (
    <div class="launch">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href({ page: 'stacks' })}>Stacks</a> › <span aria-current="page">Launch</span>
      </nav>
      <h1>Launch a stack</h1>
      <form onSubmit={(e) => void submit(e)} noValidate aria-describedby="launch-summary">
        <div id="launch-summary" ref={summaryRef} tabIndex={-1} class="summary-anchor">
          {submitted && blocking.length > 0 ? (
            <Banner kind="error">
              <p>Fix these before launching:</p>
              <ul>
                {blocking.map((b) => (
                  <li key={b.id}>
                    <button type="button" class="link" onClick={() => document.getElementById(b.id)?.focus()}>
                      {b.label}
                    </button>
                    : {b.message}
                  </li>
                ))}
              </ul>
            </Banner>
          ) : null}
          {createError ? (
            <ProblemList
              title="The stack was not created"
              error={createError}
              inputs={inputs}
              onLocate={onLocate}
            />
          ) : null}
        </div>
        <div class="field">
          <label for="stack-name">Stack name</label>
          <input
            id="stack-name"
            value={name}
            autoComplete="off"
            aria-invalid={(submitted || touched.has('$name')) && nameError !== undefined}
            aria-describedby={
              nameError && (submitted || touched.has('$name')) ? 'stack-name-error' : undefined
            }
            onInput={(e) => setName(e.currentTarget.value)}
            onBlur={() => setTouched((t) => new Set(t).add('$name'))}
          />
          {nameError && (submitted || touched.has('$name')) ? (
            <p class="field-error" id="stack-name-error">
              {nameError}
            </p>
          ) : null}
        </div>
        <TemplateSource
          value={inputs}
          onChange={setInputs}
          templateRef={templateRef}
          environmentRef={envRef}
        />
        <div class="validation" aria-live="polite">
          {validation.validating ? <p class="muted">Validating the template…</p> : null}
          {validation.error ? (
            <ProblemList
              title="The template has problems"
              error={validation.error}
              inputs={inputs}
              onLocate={onLocate}
            />
          ) : validation.result ? (
            <p class="ok">
              Template valid{validation.result.Description ? `: ${validation.result.Description}` : ''}.
            </p>
          ) : null}
          <button type="button" class="secondary" onClick={validation.run} disabled={!body}>
            Validate now
          </button>
        </div>
        {validation.result ? (
          <ParamForm
            sections={sections}
            values={values}
            errors={shown}
            onChange={setValue}
            onBlur={(n) => setTouched((t) => new Set(t).add(n))}
          />
        ) : null}
        <fieldset>
          <legend>Options</legend>
          <div class="field">
            <label for="timeout">Timeout (minutes)</label>
            <input
              id="timeout"
              inputMode="numeric"
              value={timeoutMins}
              placeholder="none"
              aria-invalid={timeoutError !== undefined}
              onInput={(e) => setTimeoutMins(e.currentTarget.value)}
            />
            {timeoutError ? <p class="field-error">{timeoutError}</p> : null}
          </div>
          <div class="field checkbox">
            <input
              id="rollback"
              type="checkbox"
              checked={rollback}
              onChange={(e) => setRollback(e.currentTarget.checked)}
            />
            <label for="rollback">Roll back if the create fails</label>
          </div>
          <div class="field">
            <label for="tags">Tags</label>
            <input
              id="tags"
              value={tags}
              placeholder="comma-separated"
              onInput={(e) => setTags(e.currentTarget.value)}
            />
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" disabled={sending}>
            {sending ? 'Launching…' : 'Launch'}
          </button>
          <a href={href({ page: 'stacks' })} class="button secondary">
            Cancel
          </a>
        </div>
      </form>
    </div>
  );
}
