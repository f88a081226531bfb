/**
 * What an update would do, from `PATCH …/preview`: how many resources are added, replaced, updated in place,
 * deleted or left alone, and for each changed resource the properties that change (old → new) and why a
 * replacement happens.
 */
import type { PropertyChange, UpdatePreview } from '../api/types.js';
import { displayValue } from '../ui/format.js';

const ORDER = ['added', 'replaced', 'updated', 'deleted', 'unchanged'] as const;
const WORDS: Record<(typeof ORDER)[number], string> = {
  added: 'added',
  replaced: 'replaced',
  updated: 'updated in place',
  deleted: 'deleted',
  unchanged: 'unchanged',
};

function Value(props: { value: unknown }) {
  return (
    <pre class="value">
      {props.value === undefined ? '—' : props.value === null ? 'null' : displayValue(props.value)}
    </pre>
  );
}

function ChangeRows(props: { change: PropertyChange }) {
  const c = props.change;
  const name = c.stack ? `${c.stack}.${c.resource}` : c.resource;
  const rows = c.properties.length ? c.properties : [undefined];
  return (
    <>
      {rows.map((p, i) => (
        <tr key={`${name}-${p?.name ?? i}`} class={`change change-${c.action}`} data-change={name}>
          {i === 0 ? (
            <th scope="rowgroup" rowSpan={rows.length} class="mono">
              {name}
              <div>
                <span class={`chip chip-${c.action}`}>{WORDS[c.action]}</span>
              </div>
              {c.reason ? <p class="help">{c.reason}</p> : null}
            </th>
          ) : null}
          <td class="mono">{p ? p.name : <span class="muted">—</span>}</td>
          <td>{p ? <Value value={p.old} /> : null}</td>
          <td>{p ? <Value value={p.new} /> : null}</td>
          <td>{p ? (p.updateAllowed && !p.immutable ? 'in place' : 'forces replacement') : ''}</td>
        </tr>
      ))}
    </>
  );
}

/** The preview. */
export function PreviewDiff(props: { preview: UpdatePreview }) {
  const rc = props.preview.resource_changes;
  const changes = (props.preview.hearth_changes ?? []).filter((c) => c.action !== 'unchanged');
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">What the update will do</h2>
      <ul class="chips" aria-label="Summary">
        {ORDER.map((k) => (
          <li key={k} class={`chip chip-${k}${(rc[k] ?? []).length ? '' : ' zero'}`} data-count={k}>
            {(rc[k] ?? []).length} {WORDS[k]}
          </li>
        ))}
      </ul>
      {changes.length ? (
        <table class="data diff">
          <caption>Property changes</caption>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Property</th>
              <th scope="col">Now</th>
              <th scope="col">After</th>
              <th scope="col">How</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <ChangeRows key={`${c.stack}.${c.resource}`} change={c} />
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No resource changes.</p>
      )}
      {ORDER.filter(
        (k) => k !== 'unchanged' && (rc[k] ?? []).length > 0 && !props.preview.hearth_changes,
      ).map((k) => (
        <p key={k}>
          {WORDS[k]}: {(rc[k] ?? []).map((r) => r.resource_name).join(', ')}
        </p>
      ))}
    </section>
  );
}
