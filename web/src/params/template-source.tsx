/**
 * Where a template comes from: uploaded or pasted text, environment files (uploaded, or one pasted), and other
 * files the template refers to (nested templates, `get_file`). Turned into the API's `template`, `environment`,
 * `environment_files` and `files`.
 */
import { useRef } from 'preact/hooks';

/** A file by its name. */
export interface NamedText {
  name: string;
  text: string;
}

/** Everything the form collected. */
export interface TemplateInputs {
  template: string;
  templateName: string;
  environment: string;
  environmentFiles: NamedText[];
  files: NamedText[];
}

/** Empty inputs. */
export const NO_INPUTS: TemplateInputs = {
  template: '',
  templateName: '',
  environment: '',
  environmentFiles: [],
  files: [],
};

/** The request fields of the inputs. */
export function requestFields(i: TemplateInputs): Record<string, unknown> {
  const files: Record<string, string> = {};
  for (const f of [...i.files, ...i.environmentFiles]) files[f.name] = f.text;
  return {
    template: i.template,
    ...(i.environment.trim() ? { environment: i.environment } : {}),
    ...(i.environmentFiles.length ? { environment_files: i.environmentFiles.map((f) => f.name) } : {}),
    ...(Object.keys(files).length ? { files } : {}),
  };
}

async function readAll(list: FileList | null): Promise<NamedText[]> {
  return Promise.all([...(list ?? [])].map(async (f) => ({ name: f.name, text: await f.text() })));
}

/** The file list of one kind, each removable. */
function FileList(props: { label: string; files: NamedText[]; onRemove(name: string): void }) {
  if (props.files.length === 0) return null;
  return (
    <ul class="file-list" aria-label={props.label}>
      {props.files.map((f) => (
        <li key={f.name}>
          <span class="mono">{f.name}</span> <span class="muted">({f.text.length} characters)</span>{' '}
          <button
            type="button"
            class="link"
            onClick={() => props.onRemove(f.name)}
            aria-label={`Remove ${f.name}`}
          >
            remove
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The inputs; `templateRef` lets problem locations move the caret into the template text. */
export function TemplateSource(props: {
  value: TemplateInputs;
  onChange(next: TemplateInputs): void;
  templateRef?: { current: HTMLTextAreaElement | null };
  environmentRef?: { current: HTMLTextAreaElement | null };
  optionalTemplate?: boolean;
}) {
  const v = props.value;
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const templateRef = props.templateRef ?? ownRef;
  const set = (patch: Partial<TemplateInputs>) => props.onChange({ ...v, ...patch });
  const merge = (list: NamedText[], added: NamedText[]) => [
    ...list.filter((f) => !added.some((a) => a.name === f.name)),
    ...added,
  ];
  return (
    <fieldset class="template-source">
      <legend>Template</legend>
      <div class="field">
        <label for="template-file">Template file</label>
        <input
          id="template-file"
          type="file"
          accept=".yaml,.yml,.json,.template,.hot,text/yaml,application/json"
          onChange={async (e) => {
            const [file] = await readAll(e.currentTarget.files);
            if (file) set({ template: file.text, templateName: file.name });
          }}
        />
      </div>
      <div class="field">
        <label for="template-text">
          Template text {v.templateName ? <span class="muted">({v.templateName})</span> : null}
        </label>
        <textarea
          id="template-text"
          ref={templateRef}
          class="code-input"
          rows={14}
          spellcheck={false}
          value={v.template}
          required={!props.optionalTemplate}
          aria-describedby="template-help"
          onInput={(e) => set({ template: e.currentTarget.value })}
        />
        <p id="template-help" class="help">
          Upload a HOT template or paste it here (YAML or JSON).
        </p>
      </div>
      <div class="field">
        <label for="env-files">Environment files</label>
        <input
          id="env-files"
          type="file"
          multiple
          accept=".yaml,.yml,.json,.env"
          onChange={async (e) => {
            set({ environmentFiles: merge(v.environmentFiles, await readAll(e.currentTarget.files)) });
            e.currentTarget.value = '';
          }}
        />
        <FileList
          label="Environment files"
          files={v.environmentFiles}
          onRemove={(n) => set({ environmentFiles: v.environmentFiles.filter((f) => f.name !== n) })}
        />
      </div>
      <details>
        <summary>Pasted environment and other files</summary>
        <div class="field">
          <label for="env-text">Environment text</label>
          <textarea
            id="env-text"
            ref={props.environmentRef}
            class="code-input"
            rows={5}
            spellcheck={false}
            value={v.environment}
            onInput={(e) => set({ environment: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="other-files">Other files (nested templates, get_file)</label>
          <input
            id="other-files"
            type="file"
            multiple
            onChange={async (e) => {
              set({ files: merge(v.files, await readAll(e.currentTarget.files)) });
              e.currentTarget.value = '';
            }}
          />
          <FileList
            label="Other files"
            files={v.files}
            onRemove={(n) => set({ files: v.files.filter((f) => f.name !== n) })}
          />
        </div>
      </details>
    </fieldset>
  );
}
