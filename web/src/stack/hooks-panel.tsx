/**
 * Resources waiting at a breakpoint (hook), each with a button to let it continue.
 */
import { useState } from 'preact/hooks';
import type { PendingHook } from '../../../src/cli/hooks.js';
import { formatTime, messageOf } from '../ui/format.js';

/** Lists pending hooks; nothing when there are none. */
export function HooksPanel(props: { hooks: readonly PendingHook[]; onClear(h: PendingHook): Promise<void> }) {
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  if (props.hooks.length === 0) return null;
  return (
    <section class="hooks" aria-labelledby="hooks-title">
      <h3 id="hooks-title">Waiting at a breakpoint</h3>
      {error ? (
        <p class="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <ul>
        {props.hooks.map((h) => {
          const id = `${h.stackUrl} ${h.resource} ${h.hook}`;
          return (
            <li key={id}>
              <strong>{h.resource}</strong>
              {h.stackName ? <span class="muted"> in {h.stackName}</span> : null}: {h.reason} (since{' '}
              {formatTime(h.since)}){' '}
              <button
                type="button"
                class="primary"
                disabled={busy === id}
                aria-label={`Continue ${h.resource} past hook ${h.hook}`}
                onClick={() => {
                  setBusy(id);
                  setError(undefined);
                  props
                    .onClear(h)
                    .catch((err: unknown) =>
                      setError(`Could not clear the hook of ${h.resource}: ${messageOf(err)}`),
                    )
                    .finally(() => setBusy(undefined));
                }}
              >
                Continue
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
