/**
 * The parameter fields generated from a template: a fieldset per parameter group, a labelled input per
 * parameter (password inputs for hidden ones, a list for allowed values), its description and constraints as
 * help, and its problem shown next to it as soon as the field is left or the form submitted.
 */
import type { FieldSection, ParamField } from './form-model.js';

/** The id of a parameter's input. */
export function fieldId(name: string): string {
  return `param-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function Input(props: {
  field: ParamField;
  value: string;
  invalid: boolean;
  describedBy: string;
  placeholder?: string;
  onInput(value: string): void;
  onBlur(): void;
}) {
  const f = props.field;
  const common = {
    id: fieldId(f.name),
    name: f.name,
    'aria-invalid': props.invalid,
    'aria-describedby': props.describedBy || undefined,
    onBlur: props.onBlur,
  };
  switch (f.kind) {
    case 'select':
    case 'boolean': {
      const options = f.kind === 'boolean' ? ['true', 'false'] : f.options;
      return (
        <select {...common} value={props.value} onChange={(e) => props.onInput(e.currentTarget.value)}>
          {!f.hasDefault || props.value === '' ? (
            <option value="">{props.placeholder ?? 'Choose…'}</option>
          ) : null}
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    }
    case 'json':
      return (
        <textarea
          {...common}
          class="code-input"
          rows={4}
          spellcheck={false}
          value={props.value}
          placeholder={props.placeholder}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      );
    default:
      return (
        <input
          {...common}
          type={f.kind === 'password' ? 'password' : 'text'}
          inputMode={f.kind === 'number' ? 'decimal' : undefined}
          autoComplete={f.kind === 'password' ? 'new-password' : 'off'}
          spellcheck={false}
          value={props.value}
          placeholder={props.placeholder}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      );
  }
}

/** The fieldsets. */
export function ParamForm(props: {
  sections: readonly FieldSection[];
  values: Readonly<Record<string, string>>;
  errors: Readonly<Record<string, string>>;
  /** Placeholder per field (e.g. "unchanged" for hidden values on update). */
  placeholders?: Readonly<Record<string, string>>;
  onChange(name: string, value: string): void;
  onBlur(name: string): void;
}) {
  if (props.sections.length === 0) return <p class="muted">This template has no parameters.</p>;
  return (
    <>
      {props.sections.map((s) => (
        <fieldset class="params" key={s.label}>
          <legend>{s.label}</legend>
          {s.description ? <p class="help">{s.description}</p> : null}
          {s.fields.map((f) => {
            const id = fieldId(f.name);
            const error = props.errors[f.name];
            const describedBy = [
              f.description ? `${id}-desc` : '',
              f.hints.length ? `${id}-hints` : '',
              error ? `${id}-error` : '',
            ]
              .filter(Boolean)
              .join(' ');
            const placeholder = props.placeholders?.[f.name];
            return (
              <div class={`field${error ? ' has-error' : ''}`} key={f.name} data-param={f.name}>
                <label for={id}>
                  {f.label}
                  {f.label !== f.name ? <span class="muted mono"> ({f.name})</span> : null}
                  {!f.hasDefault && !placeholder ? <span class="required"> (required)</span> : null}
                  {f.hidden ? <span class="muted"> · hidden</span> : null}
                </label>
                <Input
                  field={f}
                  value={props.values[f.name] ?? ''}
                  invalid={error !== undefined}
                  describedBy={describedBy}
                  {...(placeholder !== undefined ? { placeholder } : {})}
                  onInput={(v) => props.onChange(f.name, v)}
                  onBlur={() => props.onBlur(f.name)}
                />
                {f.description ? (
                  <p class="help" id={`${id}-desc`}>
                    {f.description}
                  </p>
                ) : null}
                {f.hints.length ? (
                  <p class="help hints" id={`${id}-hints`}>
                    {f.hints.join(' · ')}
                  </p>
                ) : null}
                {error ? (
                  <p class="field-error" id={`${id}-error`}>
                    {error}
                  </p>
                ) : null}
              </div>
            );
          })}
        </fieldset>
      ))}
    </>
  );
}
