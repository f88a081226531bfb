/**
 * The stack's outputs: key, description, value (or the error resolving it).
 */
import type { StackOutput } from '../api/types.js';
import { displayValue } from '../ui/format.js';

/** Lists the outputs. */
export function OutputsTab(props: { outputs: StackOutput[] | undefined; settled: boolean }) {
  const outputs = [...(props.outputs ?? [])].sort((a, b) => a.output_key.localeCompare(b.output_key));
  if (outputs.length === 0) return <p class="muted">This stack has no outputs.</p>;
  return (
    <div>
      {!props.settled ? <p class="muted">The stack is changing: values may not be final yet.</p> : null}
      <table class="data outputs">
        <thead>
          <tr>
            <th scope="col">Output</th>
            <th scope="col">Description</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {outputs.map((o) => (
            <tr key={o.output_key} data-output={o.output_key}>
              <th scope="row" class="mono">
                {o.output_key}
              </th>
              <td>{o.description || '—'}</td>
              <td>
                {o.output_error ? (
                  <span class="error-text">Error: {o.output_error}</span>
                ) : (
                  <pre class="value" data-value>
                    {o.output_value === null || o.output_value === undefined
                      ? 'null'
                      : displayValue(o.output_value)}
                  </pre>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
