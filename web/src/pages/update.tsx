/**
 * Updating a stack: keep its template or give a new one, change parameters (the form is generated from the
 * template, filled with the current values; hidden ones stay unchanged unless typed again), then preview —
 * `PATCH …/preview`, the property-level diff — and only then confirm. Changing anything after the preview asks
 * for a new preview.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client.js';
import type { Problem, StackDetail, UpdatePreview } from '../api/types.js';
import { checkForm, formSections, type ParamField } from '../params/form-model.js';
import { ParamForm } from '../params/param-form.js';
import { ProblemList } from '../params/problem-list.js';
import { NO_INPUTS, requestFields, TemplateSource, type TemplateInputs } from '../params/template-source.js';
import { useValidation } from '../params/use-validation.js';
import { href, navigate } from '../router.js';
import { MASK } from '../stack/parameters-tab.js';
import { PreviewDiff } from '../stack/preview-diff.js';
import { Banner } from '../ui/banner.js';
import { messageOf } from '../ui/format.js';
import { fieldErrorsOf, locate } from './launch.js';

interface Current {
  detail: StackDetail;
  template: unknown;
  environment: Record<string, unknown>;
  files: Record<string, string>;
}

/** The body of the update (and of its preview). */
export function updateBody(
  mode: 'current' | 'new',
  inputs: TemplateInputs,
  fields: readonly ParamField[],
  values: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const parameters: Record<string, string> = {};
  const clear: string[] = [];
  for (const f of fields) {
    const v = values[f.name] ?? '';
    const now = current[f.name];
    if (f.hidden) {
      if (v !== '') parameters[f.name] = v;
    } else if (v === '' && now !== undefined && now !== '') clear.push(f.name);
    else if (v !== '' && v !== now) parameters[f.name] = v;
  }
  return {
    ...(mode === 'new' ? requestFields(inputs) : {}),
    parameters,
    ...(clear.length ? { clear_parameters: clear } : {}),
  };
}

/** The update page. */
export function UpdatePage(props: { client: ApiClient; name: string; id: string }) {
  const path = `/stacks/${encodeURIComponent(props.name)}/${encodeURIComponent(props.id)}`;
  const [current, setCurrent] = useState<Current | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [mode, setMode] = useState<'current' | 'new'>('current');
  const [inputs, setInputs] = useState<TemplateInputs>(NO_INPUTS);
  const [values, setValues] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [preview, setPreview] = useState<{ key: string; result: UpdatePreview } | undefined>(undefined);
  const [failure, setFailure] = useState<{ title: string; error: ApiError } | undefined>(undefined);
  const [serverFieldErrors, setServerFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<'preview' | 'update' | undefined>(undefined);
  const templateRef = useRef<HTMLTextAreaElement>(null);
  const envRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    Promise.all([
      props.client.get<{ stack: StackDetail }>(path),
      props.client.get<unknown>(`${path}/template`),
      props.client.get<Record<string, unknown>>(`${path}/environment`),
      props.client.get<Record<string, string>>(`${path}/files`).catch(() => ({})),
    ]).then(
      ([d, template, environment, files]) => setCurrent({ detail: d.stack, template, environment, files }),
      (err: unknown) =>
        setLoadError(
          err instanceof ApiError && err.notFound
            ? 'This stack does not exist any more.'
            : `Could not load the stack: ${messageOf(err)}`,
        ),
    );
  }, [path]);

  const currentValues: Record<string, string> = {};
  for (const [k, v] of Object.entries(current?.detail.parameters ?? {}))
    if (!k.startsWith('OS::')) currentValues[k] = v;
  const validateBody =
    mode === 'current'
      ? current && { template: current.template, environment: current.environment, files: current.files }
      : inputs.template.trim()
        ? requestFields(inputs)
        : undefined;
  const validation = useValidation(props.client, validateBody);
  const sections = (validation.result ? formSections(validation.result) : []).map((s) => ({
    ...s,
    fields: s.fields.map((f) => (f.name in currentValues ? { ...f, hasDefault: true } : f)),
  }));
  const fields = sections.flatMap((s) => s.fields);

  useEffect(() => {
    setValues((v) => {
      const next = { ...v };
      for (const f of fields) {
        if (f.name in next) continue;
        const now = currentValues[f.name];
        next[f.name] = f.hidden || now === MASK ? '' : (now ?? f.defaultText);
      }
      return next;
    });
  }, [validation.result]);

  const fieldErrors = checkForm(fields, values);
  const shown: Record<string, string> = {};
  for (const f of fields) {
    const e = serverFieldErrors[f.name] ?? fieldErrors[f.name];
    if (e && (touched.has(f.name) || serverFieldErrors[f.name] || failure)) shown[f.name] = e;
  }
  const body = updateBody(mode, inputs, fields, values, currentValues);
  const key = JSON.stringify([mode, body]);
  const previewCurrent = preview && preview.key === key ? preview.result : undefined;
  const ready = validation.result !== undefined && !validation.error && Object.keys(fieldErrors).length === 0;

  const send = async (kind: 'preview' | 'update') => {
    setTouched(new Set(fields.map((f) => f.name)));
    if (!ready) {
      setFailure(undefined);
      return;
    }
    setBusy(kind);
    setFailure(undefined);
    setServerFieldErrors({});
    try {
      if (kind === 'preview') {
        const result = await props.client.patch<UpdatePreview>(`${path}/preview`, body);
        setPreview({ key, result });
      } else {
        await props.client.patch(path, body);
        navigate({ page: 'stack', name: props.name, id: props.id, tab: 'topology' });
      }
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(0, 'Error', messageOf(err));
      setFailure({ title: kind === 'preview' ? 'The preview failed' : 'The stack was not updated', error });
      setServerFieldErrors(fieldErrorsOf(error));
    } finally {
      setBusy(undefined);
    }
  };
  const onLocate = (p: Problem) =>
    p.file === 'environment.yaml'
      ? locate(envRef.current, inputs.environment, p)
      : locate(templateRef.current, inputs.template, p);
  const problemInputs = mode === 'new' ? inputs : undefined;

  return (
    <div class="update">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href({ page: 'stacks' })}>Stacks</a> ›{' '}
        <a href={href({ page: 'stack', name: props.name, id: props.id, tab: 'topology' })}>{props.name}</a> ›{' '}
        <span aria-current="page">Update</span>
      </nav>
      <h1>Update {props.name}</h1>
      {loadError ? (
        <Banner
          kind="error"
          action={{ label: 'Back to the stacks', run: () => navigate({ page: 'stacks' }) }}
        >
          {loadError}
        </Banner>
      ) : null}
      {!current && !loadError ? <p class="muted">Loading the stack…</p> : null}
      {current ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void send(previewCurrent ? 'update' : 'preview');
          }}
        >
          <fieldset>
            <legend>Template</legend>
            <div class="field checkbox">
              <input
                type="radio"
                id="mode-current"
                name="mode"
                checked={mode === 'current'}
                onChange={() => setMode('current')}
              />
              <label for="mode-current">Keep the current template</label>
            </div>
            <div class="field checkbox">
              <input
                type="radio"
                id="mode-new"
                name="mode"
                checked={mode === 'new'}
                onChange={() => setMode('new')}
              />
              <label for="mode-new">Use a new template</label>
            </div>
          </fieldset>
          {mode === 'new' ? (
            <TemplateSource
              value={inputs}
              onChange={setInputs}
              templateRef={templateRef}
              environmentRef={envRef}
            />
          ) : null}
          <div aria-live="polite">
            {validation.validating ? <p class="muted">Validating the template…</p> : null}
            {validation.error ? (
              <ProblemList
                title="The template has problems"
                error={validation.error}
                {...(problemInputs ? { inputs: problemInputs } : {})}
                onLocate={onLocate}
              />
            ) : null}
          </div>
          {validation.result ? (
            <ParamForm
              sections={sections}
              values={values}
              errors={shown}
              placeholders={Object.fromEntries(
                fields.filter((f) => f.hidden).map((f) => [f.name, 'unchanged']),
              )}
              onChange={(n, v) => {
                setValues((old) => ({ ...old, [n]: v }));
                setServerFieldErrors(({ [n]: _gone, ...rest }) => rest);
              }}
              onBlur={(n) => setTouched((t) => new Set(t).add(n))}
            />
          ) : null}
          {failure ? (
            <ProblemList
              title={failure.title}
              error={failure.error}
              {...(problemInputs ? { inputs: problemInputs } : {})}
              onLocate={onLocate}
            />
          ) : null}
          {previewCurrent ? <PreviewDiff preview={previewCurrent} /> : null}
          {preview && !previewCurrent ? (
            <Banner kind="info">The form changed after the preview: preview again before updating.</Banner>
          ) : null}
          <div class="actions">
            <button
              type="button"
              class={previewCurrent ? 'secondary' : 'primary'}
              disabled={busy !== undefined}
              onClick={() => void send('preview')}
            >
              {busy === 'preview' ? 'Previewing…' : 'Preview changes'}
            </button>
            <button
              type="button"
              class="primary"
              disabled={!previewCurrent || busy !== undefined}
              aria-describedby="confirm-help"
              onClick={() => void send('update')}
            >
              {busy === 'update' ? 'Updating…' : 'Confirm update'}
            </button>
            <span id="confirm-help" class="help">
              {previewCurrent ? 'The update does what the preview shows.' : 'Preview the changes first.'}
            </span>
            <a
              href={href({ page: 'stack', name: props.name, id: props.id, tab: 'topology' })}
              class="button secondary"
            >
              Cancel
            </a>
          </div>
        </form>
      ) : null}
    </div>
  );
}
