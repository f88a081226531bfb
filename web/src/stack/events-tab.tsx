/**
 * The events timeline, newest first, filtered by resource name and by state; older events on demand.
 */
import { useState } from 'preact/hooks';
import type { StackEvent } from '../api/types.js';
import { formatTime } from '../ui/format.js';
import { statusCategory, StatusBadge } from '../ui/status.js';
import { stackRefOf, linkOf } from '../api/types.js';

/** Events rendered at most (the filter narrows what they are). */
const SHOWN = 500;

/** The timeline. */
export function EventsTab(props: {
  events: readonly StackEvent[];
  rootStackName: string;
  live: boolean;
  onLoadOlder(): Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const [state, setState] = useState('');
  const [more, setMore] = useState(true);
  const [busy, setBusy] = useState(false);
  const needle = text.trim().toLowerCase();
  const filtered = props.events.filter(
    (e) =>
      (!needle || e.resource_name.toLowerCase().includes(needle)) &&
      (!state || statusCategory(e.resource_status) === state),
  );
  return (
    <div>
      <div class="toolbar">
        <label>
          Resource
          <input
            type="search"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            placeholder="name contains…"
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
        <span class="muted" role="status">
          {filtered.length} of {props.events.length} events{props.live ? ' · live' : ''}
        </span>
      </div>
      <table class="data events">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Resource</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {filtered.slice(0, SHOWN).map((e) => {
            const stack = stackRefOf(linkOf(e.links, 'stack'))?.name;
            return (
              <tr key={e.id} data-event={e.id}>
                <td>
                  <time dateTime={e.event_time}>{formatTime(e.event_time)}</time>
                </td>
                <td>
                  {e.resource_name}
                  {stack && stack !== props.rootStackName && stack !== e.resource_name ? (
                    <span class="muted"> in {stack}</span>
                  ) : null}
                </td>
                <td>
                  <StatusBadge status={e.resource_status} />
                </td>
                <td class="reason">{e.resource_status_reason}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {more ? (
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void props.onLoadOlder().then(
              (got) => {
                setMore(got);
                setBusy(false);
              },
              () => setBusy(false),
            );
          }}
        >
          Load older events
        </button>
      ) : (
        <p class="muted">No older events.</p>
      )}
    </div>
  );
}
