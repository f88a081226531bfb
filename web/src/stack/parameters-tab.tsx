/**
 * The stack's parameter values (hidden ones masked by the API, shown as hidden), then the pseudo parameters.
 */

/** The API's mask of hidden parameter values. */
export const MASK = '******';

/** Lists the parameters. */
export function ParametersTab(props: { parameters: Record<string, string> | undefined }) {
  const entries = Object.entries(props.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const user = entries.filter(([k]) => !k.startsWith('OS::'));
  const pseudo = entries.filter(([k]) => k.startsWith('OS::'));
  const table = (rows: [string, string][], caption: string) => (
    <table class="data">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Parameter</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k} data-parameter={k}>
            <th scope="row" class="mono">
              {k}
            </th>
            <td>
              {v === MASK ? (
                <span class="masked" aria-label="hidden value">
                  •••••• <span class="muted">(hidden)</span>
                </span>
              ) : (
                <pre class="value">{v}</pre>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <div>
      {user.length ? table(user, 'Parameters') : <p class="muted">This stack has no parameters.</p>}
      {table(pseudo, 'Pseudo parameters')}
    </div>
  );
}
