/**
 * A failed validate, create or update, said precisely: every problem with its `file:line:column`, an excerpt of
 * the file with the line marked, and a button that puts the caret there.
 */
import type { ApiError } from '../api/client.js';
import type { Problem } from '../api/types.js';
import { CodeView } from '../template/code-view.js';
import type { TemplateInputs } from './template-source.js';

/** The name the API gives the pasted template and environment. */
const TEMPLATE_FILE = 'template.yaml';
const ENVIRONMENT_FILE = 'environment.yaml';

/** The text of the file a problem is about, if the form has it. */
export function fileText(inputs: TemplateInputs, file: string | undefined): string | undefined {
  if (!file) return undefined;
  if (file === TEMPLATE_FILE || file === inputs.templateName) return inputs.template;
  if (file === ENVIRONMENT_FILE) return inputs.environment || undefined;
  return [...inputs.environmentFiles, ...inputs.files].find((f) => f.name === file)?.text;
}

/** Offset of line:column (1-based) in `text`. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/** `file:line:column` of a problem, when located. */
export function locationOf(p: Problem): string | undefined {
  if (!p.file || p.line === undefined) return undefined;
  return `${p.file}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
}

/** The problems of an error (its message alone when it lists none). */
export function problemsOf(error: ApiError): Problem[] {
  return error.problems.length ? [...error.problems] : [{ type: error.type, message: error.message }];
}

/** The list. */
export function ProblemList(props: {
  title: string;
  error: ApiError;
  inputs?: TemplateInputs;
  onLocate?(p: Problem): void;
}) {
  const problems = problemsOf(props.error);
  return (
    <div class="problems" role="alert">
      <h3>{props.title}</h3>
      <ol>
        {problems.map((p, i) => {
          const where = locationOf(p);
          const text = props.inputs ? fileText(props.inputs, p.file) : undefined;
          return (
            <li key={i} class="problem" data-type={p.type}>
              {where ? (
                props.onLocate && text !== undefined ? (
                  <button type="button" class="link mono location" onClick={() => props.onLocate!(p)}>
                    {where}
                  </button>
                ) : (
                  <span class="mono location">{where}</span>
                )
              ) : null}{' '}
              <span class="problem-message">{p.message}</span>
              {p.path && !where ? <span class="muted"> (at {p.path})</span> : null}
              {p.hint ? <p class="help">{p.hint}</p> : null}
              {text !== undefined && p.line !== undefined ? (
                <CodeView
                  text={text}
                  label={`${p.file} around line ${p.line}`}
                  markLine={p.line}
                  {...(p.column !== undefined ? { markColumn: p.column } : {})}
                  from={p.line - 2}
                  to={p.line + 2}
                />
              ) : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
