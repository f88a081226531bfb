/**
 * One software deployment: server, config (name, group), action, status and reason, outputs (stdout, stderr,
 * status code, then the declared ones), and — while it runs — the output lines the host streams, live.
 * The record is loaded again whenever the deployment's resource changes state.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client.js';
import { Banner } from '../ui/banner.js';
import { displayValue, formatTime, messageOf } from '../ui/format.js';
import { StatusBadge } from '../ui/status.js';
import {
  STANDARD_OUTPUTS,
  type DeploymentProgress,
  type SoftwareConfigSummary,
  type SoftwareDeployment,
} from './deployment-model.js';

interface Loaded {
  deployment?: SoftwareDeployment;
  config?: SoftwareConfigSummary;
  /** The deployment no longer exists (or not yet). */
  missing?: boolean;
  error?: string;
}

async function load(client: ApiClient, id: string): Promise<Loaded> {
  try {
    const { software_deployment: deployment } = await client.get<{ software_deployment: SoftwareDeployment }>(
      `/software_deployments/${encodeURIComponent(id)}`,
    );
    const config = deployment.config_id
      ? await client
          .get<{ software_config: SoftwareConfigSummary }>(
            `/software_configs/${encodeURIComponent(deployment.config_id)}`,
          )
          .then((b) => b.software_config)
          .catch(() => undefined)
      : undefined;
    return { deployment, ...(config ? { config } : {}) };
  } catch (err) {
    if (err instanceof ApiError && err.notFound) return { missing: true };
    return { error: messageOf(err) };
  }
}

/** The live output box: follows the newest line unless the reader scrolled up. */
function LiveOutput(props: { progress: DeploymentProgress; running: boolean; label: string }) {
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  const lines = props.progress.lines;
  useEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    <div class="live-output">
      <h5>
        {props.label}
        {props.running ? <span class="muted small"> · streaming from the host</span> : null}
        {props.running && props.progress.lastHeartbeat ? (
          <span class="muted small"> · host alive at {formatTime(props.progress.lastHeartbeat)}</span>
        ) : null}
      </h5>
      {lines.length ? (
        <pre
          class="code small output-lines"
          ref={box}
          role="log"
          aria-live="polite"
          aria-label={props.label}
          tabIndex={0}
          data-live-output
          onScroll={(e) => {
            const el = e.currentTarget;
            pinned.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
          }}
        >
          {lines.map((l) => `${l.text}\n`).join('')}
        </pre>
      ) : (
        <p class="muted small">{props.running ? 'No output yet.' : 'No output was streamed.'}</p>
      )}
    </div>
  );
}

/** One output value (`null` shown as such). */
function OutputValue(props: { value: unknown }) {
  const v = props.value;
  return <pre class="value">{v === null || v === undefined ? 'null' : displayValue(v)}</pre>;
}

/** The details of deployment `id` (a SoftwareDeployment resource's physical id). */
export function DeploymentDetails(props: {
  client: ApiClient;
  id: string;
  /** The resource's status: a change reloads the record. */
  resourceStatus: string;
  /** Lines and heartbeat streamed so far. */
  progress: DeploymentProgress;
  /** Resource names by physical id: the server is named from them when it is a resource the page knows. */
  serverNames?: ReadonlyMap<string, string>;
  /** A key that changes whenever the stack changes state (reloads the record). */
  reloadKey?: string;
}) {
  const [loaded, setLoaded] = useState<Loaded>({});
  useEffect(() => {
    let current = true;
    void load(props.client, props.id).then((l) => current && setLoaded(l));
    return () => {
      current = false;
    };
  }, [props.client, props.id, props.resourceStatus, props.reloadKey]);

  const d = loaded.deployment;
  const serverName = d ? props.serverNames?.get(d.server_id) : undefined;
  if (loaded.missing)
    return <p class="muted">Deployment {props.id} does not exist (any more): it was deleted or replaced.</p>;
  const running = d ? d.status === 'IN_PROGRESS' : props.resourceStatus.endsWith('_IN_PROGRESS');
  const outputs = d?.output_values ?? {};
  const declared = Object.keys(outputs).filter((k) => !(STANDARD_OUTPUTS as readonly string[]).includes(k));
  return (
    <div class="deployment" data-deployment={props.id}>
      {loaded.error ? <Banner kind="error">Could not load the deployment: {loaded.error}</Banner> : null}
      <dl class="facts">
        <dt>Server</dt>
        <dd>
          {serverName ? <strong>{serverName}</strong> : null}{' '}
          <span class="mono small">{d?.server_id ?? '…'}</span>
        </dd>
        <dt>Config</dt>
        <dd>
          {loaded.config ? (
            <>
              {loaded.config.name || <span class="muted">(no name)</span>}{' '}
              <span class="muted">group {loaded.config.group}</span>
            </>
          ) : (
            <span class="mono small">{d?.config_id ?? '—'}</span>
          )}
        </dd>
        <dt>Action</dt>
        <dd>{d?.action ?? '…'}</dd>
        <dt>Status</dt>
        <dd data-deployment-status={d?.status ?? ''}>
          {d ? <StatusBadge status={`${d.action}_${d.status}`} /> : '…'}
        </dd>
        <dt>Status reason</dt>
        <dd class="reason">{d?.status_reason || '—'}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(d?.updated_time ?? d?.creation_time)}</dd>
      </dl>
      {running || props.progress.lines.length ? (
        <LiveOutput
          progress={props.progress}
          running={running}
          label={`${running ? 'Live output' : 'Output streamed'} of deployment ${props.id}`}
        />
      ) : null}
      {d && !running ? (
        <>
          <h5>Outputs</h5>
          <table class="kv deployment-outputs">
            <tbody>
              {STANDARD_OUTPUTS.map((k) => (
                <tr key={k} data-output={k}>
                  <th scope="row">{k}</th>
                  <td>
                    <OutputValue value={outputs[k]} />
                  </td>
                </tr>
              ))}
              {declared.map((k) => (
                <tr key={k} data-output={k}>
                  <th scope="row">{k}</th>
                  <td>
                    <OutputValue value={outputs[k]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
