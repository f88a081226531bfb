/**
 * The details of the resource chosen in the graph: status and reason, physical id, dependencies, its
 * properties (as recorded with its latest event that has them), attributes and events. Reloaded whenever the
 * resource's status changes.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client.js';
import type { ResourceItem, StackEvent } from '../api/types.js';
import type { PendingHook } from '../../../src/cli/hooks.js';
import { DeploymentDetails } from '../deployments/deployment-details.js';
import { isDeploymentType, progressOf } from '../deployments/deployment-model.js';
import { nestedStackOf } from '../graph/model.js';
import { href } from '../router.js';
import { Banner } from '../ui/banner.js';
import { displayValue, formatTime, messageOf } from '../ui/format.js';
import { StatusBadge } from '../ui/status.js';

interface Details {
  resource?: ResourceItem;
  events: StackEvent[];
  properties?: Record<string, unknown>;
  error?: string;
}

/** Events of a resource that have recorded properties, newest first, are asked one by one (at most this many). */
const PROPERTY_PROBES = 3;

async function loadDetails(client: ApiClient, stackPath: string, name: string): Promise<Details> {
  const base = `${stackPath}/resources/${encodeURIComponent(name)}`;
  const [resource, events] = await Promise.all([
    client.get<{ resource: ResourceItem }>(base).then((b) => b.resource),
    client
      .get<{ events: StackEvent[] }>(`${base}/events?sort_dir=desc&limit=25`)
      .then((b) => b.events)
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.notFound) return [] as StackEvent[];
        throw err;
      }),
  ]);
  let properties: Record<string, unknown> | undefined;
  for (const e of events.slice(0, PROPERTY_PROBES)) {
    const shown = await client
      .get<{ event: StackEvent }>(`${base}/events/${encodeURIComponent(e.id)}`)
      .catch(() => undefined);
    const p = shown?.event.resource_properties;
    if (p && Object.keys(p).length > 0) {
      properties = p;
      break;
    }
  }
  return { resource, events, ...(properties ? { properties } : {}) };
}

/** The panel. */
export function ResourcePanel(props: {
  client: ApiClient;
  stackPath: string;
  item: ResourceItem;
  hook?: PendingHook;
  expanded: boolean;
  onToggle(): void;
  onClearHook(hook: PendingHook): Promise<void>;
  onClose(): void;
  /** The page's events, newest first (a deployment's live output is read from them). */
  events?: readonly StackEvent[];
  /** Resource names by physical id (names a deployment's server). */
  serverNames?: ReadonlyMap<string, string>;
}) {
  const [details, setDetails] = useState<Details>({ events: [] });
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const r = props.item;
  useEffect(() => heading.current?.focus(), [r.resource_name, props.stackPath]);
  useEffect(() => {
    let current = true;
    loadDetails(props.client, props.stackPath, r.resource_name).then(
      (d) => current && setDetails(d),
      (err: unknown) => current && setDetails((old) => ({ ...old, error: messageOf(err) })),
    );
    return () => {
      current = false;
    };
  }, [props.stackPath, r.resource_name, r.resource_status, r.updated_time]);

  const nested = nestedStackOf(r);
  const attributes = details.resource?.attributes ?? {};
  return (
    <aside class="panel" aria-labelledby="resource-title">
      <div class="panel-head">
        <h3 id="resource-title" tabIndex={-1} ref={heading}>
          {r.resource_name}
        </h3>
        <button type="button" class="secondary" onClick={props.onClose} aria-label="Close resource details">
          ×
        </button>
      </div>
      {details.error ? <Banner kind="error">Could not load the details: {details.error}</Banner> : null}
      <dl class="facts">
        <dt>Type</dt>
        <dd>{r.resource_type}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={r.resource_status} paused={props.hook !== undefined} />
        </dd>
        <dt>Status reason</dt>
        <dd class="reason">{r.resource_status_reason || '—'}</dd>
        <dt>Physical id</dt>
        <dd class="mono">{r.physical_resource_id || '—'}</dd>
        <dt>Required by</dt>
        <dd>{r.required_by.length ? r.required_by.join(', ') : '—'}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(r.updated_time)}</dd>
        {details.resource?.description ? (
          <>
            <dt>Description</dt>
            <dd>{details.resource.description}</dd>
          </>
        ) : null}
      </dl>
      {props.hook ? (
        <div class="hook-box">
          <p>{props.hook.reason}.</p>
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void props.onClearHook(props.hook!).finally(() => setBusy(false));
            }}
          >
            Continue ({props.hook.hook})
          </button>
        </div>
      ) : null}
      {nested ? (
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onToggle} aria-expanded={props.expanded}>
            {props.expanded ? 'Hide nested resources' : 'Show nested resources in the graph'}
          </button>
          <a href={href({ page: 'stack', name: nested.name, id: nested.id, tab: 'topology' })}>
            Open nested stack
          </a>
        </div>
      ) : null}
      {isDeploymentType(r.resource_type) ? (
        <>
          <h4>Deployment</h4>
          {r.physical_resource_id ? (
            <DeploymentDetails
              client={props.client}
              id={r.physical_resource_id}
              resourceStatus={r.resource_status}
              progress={progressOf(props.events ?? [], r.physical_resource_id)}
              {...(props.serverNames ? { serverNames: props.serverNames } : {})}
            />
          ) : (
            <p class="muted">Not deployed yet.</p>
          )}
        </>
      ) : null}
      <h4>Properties</h4>
      {details.properties ? (
        <pre class="code small">{displayValue(details.properties)}</pre>
      ) : (
        <p class="muted">No properties recorded yet.</p>
      )}
      <h4>Attributes</h4>
      {Object.keys(attributes).length ? (
        <table class="kv">
          <tbody>
            {Object.entries(attributes).map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>
                  <pre class="value">{v === null ? 'null' : displayValue(v)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No attributes.</p>
      )}
      <h4>Events</h4>
      {details.events.length ? (
        <ol class="mini-events">
          {details.events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.event_time}>{formatTime(e.event_time)}</time>{' '}
              <StatusBadge status={e.resource_status} />{' '}
              <span class="reason">{e.resource_status_reason}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">No events.</p>
      )}
    </aside>
  );
}
