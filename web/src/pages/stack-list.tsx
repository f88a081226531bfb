/**
 * The project's stacks: status, reason, times and tags; search by name, description or tag, filter by state.
 * Reloaded every few seconds; when a reload fails the list says since when it is not current.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client.js';
import type { StackSummary } from '../api/types.js';
import { href } from '../router.js';
import { Banner } from '../ui/banner.js';
import { clock, formatTime, messageOf } from '../ui/format.js';
import { statusCategory, StatusBadge } from '../ui/status.js';

/** Reload interval of the list. */
const RELOAD_MS = 5000;

/** True when a stack matches the search text (name, description, tags; case-insensitive). */
export function matches(s: StackSummary, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return [s.stack_name, s.description, ...(s.tags ?? [])].some((v) =>
    (v ?? '').toLowerCase().includes(needle),
  );
}

/** The list page. */
export function StackListPage(props: { client: ApiClient }) {
  const [stacks, setStacks] = useState<StackSummary[] | undefined>(undefined);
  const [loadedAt, setLoadedAt] = useState<number | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [search, setSearch] = useState('');
  const [state, setState] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let current = true;
    const controller = new AbortController();
    props.client
      .get<{ stacks: StackSummary[] }>('/stacks?sort_keys=creation_time&sort_dir=desc', {
        signal: controller.signal,
      })
      .then(
        (body) => {
          if (!current) return;
          setStacks(body.stacks);
          setLoadedAt(Date.now());
          setError(undefined);
        },
        (err: unknown) => {
          if (current && (err as Error).name !== 'AbortError') setError(messageOf(err));
        },
      );
    const t = setTimeout(() => setTick((n) => n + 1), RELOAD_MS);
    return () => {
      current = false;
      controller.abort();
      clearTimeout(t);
    };
  }, [tick]);

  const shown = (stacks ?? []).filter(
    (s) => matches(s, search) && (!state || statusCategory(s.stack_status) === state),
  );
  return (
    <div class="stack-list">
      <div class="page-head">
        <h1>Stacks</h1>
        <a class="button primary" href={href({ page: 'launch' })}>
          Launch stack
        </a>
      </div>
      {error ? (
        <Banner kind="error" action={{ label: 'Retry', run: () => setTick((n) => n + 1) }}>
          The list could not be reloaded: {error}.{' '}
          {loadedAt ? `It shows the stacks as of ${clock(loadedAt)}.` : ''}
        </Banner>
      ) : null}
      <div class="toolbar" role="search">
        <label>
          Search
          <input
            type="search"
            value={search}
            placeholder="name, description or tag"
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </label>
        <label>
          State
          <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="">any</option>
            <option value="progress">in progress</option>
            <option value="complete">complete</option>
            <option value="failed">failed</option>
          </select>
        </label>
        <button type="button" class="secondary" onClick={() => setTick((n) => n + 1)}>
          Refresh
        </button>
        <span class="muted" role="status">
          {stacks ? `${shown.length} of ${stacks.length} stacks` : 'Loading…'}
          {loadedAt && !error ? ` · updated ${clock(loadedAt)}` : ''}
        </span>
      </div>
      {stacks && stacks.length === 0 ? (
        <p>
          No stacks yet. <a href={href({ page: 'launch' })}>Launch one.</a>
        </p>
      ) : null}
      {shown.length ? (
        <table class="data stacks">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
              <th scope="col">Created</th>
              <th scope="col">Updated</th>
              <th scope="col">Tags</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.id} data-stack={s.stack_name}>
                <th scope="row">
                  <a href={href({ page: 'stack', name: s.stack_name, id: s.id, tab: 'topology' })}>
                    {s.stack_name}
                  </a>
                  {s.description ? <div class="muted small">{s.description}</div> : null}
                </th>
                <td>
                  <StatusBadge status={s.stack_status} stale={error !== undefined} />
                </td>
                <td class="reason">{s.stack_status_reason}</td>
                <td>{formatTime(s.creation_time)}</td>
                <td>{formatTime(s.updated_time)}</td>
                <td>{(s.tags ?? []).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : stacks && stacks.length ? (
        <p class="muted">No stack matches.</p>
      ) : null}
    </div>
  );
}
