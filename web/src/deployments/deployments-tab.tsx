/**
 * The stack's software deployments (its own and those of nested stacks, deployment groups' members included),
 * each with its details and live output. The list is read from the resources (`nested_depth`) again whenever
 * the stack changes state; output lines come from the stack's live feed.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client.js';
import { linkOf, stackRefOf, type ResourceItem, type StackEvent } from '../api/types.js';
import { Banner } from '../ui/banner.js';
import { messageOf } from '../ui/format.js';
import { StatusBadge } from '../ui/status.js';
import { DeploymentDetails } from './deployment-details.js';
import { isDeploymentType, progressOf, stateChangeKey } from './deployment-model.js';

/** How deep nested stacks are searched for deployments (a group's members are one level down). */
const NESTED_DEPTH = 5;

/** Physical id → resource name over the resources listed (a deployment's server is named from them). */
export function serverNames(resources: Iterable<ResourceItem>): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of resources) if (r.physical_resource_id) names.set(r.physical_resource_id, r.resource_name);
  return names;
}

interface Listed {
  resources?: ResourceItem[];
  error?: string;
}

/** Lists the deployments. */
export function DeploymentsTab(props: {
  client: ApiClient;
  stackPath: string;
  rootStackName: string;
  /** The page's events, newest first. */
  events: readonly StackEvent[];
}) {
  const [listed, setListed] = useState<Listed>({});
  const changeKey = stateChangeKey(props.events);
  useEffect(() => {
    let current = true;
    props.client
      .get<{ resources: ResourceItem[] }>(`${props.stackPath}/resources?nested_depth=${NESTED_DEPTH}`)
      .then(
        (b) => current && setListed({ resources: b.resources }),
        (err: unknown) => current && setListed((old) => ({ ...old, error: messageOf(err) })),
      );
    return () => {
      current = false;
    };
  }, [props.client, props.stackPath, changeKey]);

  if (!listed.resources && !listed.error) return <p class="muted">Loading the deployments…</p>;
  const all = listed.resources ?? [];
  const deployments = all
    .filter((r) => isDeploymentType(r.resource_type))
    .sort((a, b) => a.resource_name.localeCompare(b.resource_name));
  const names = serverNames(all);
  return (
    <div class="deployments">
      {listed.error ? <Banner kind="error">Could not list the deployments: {listed.error}</Banner> : null}
      {deployments.length === 0 && listed.resources ? (
        <p class="muted">This stack has no software deployments.</p>
      ) : null}
      {deployments.map((r) => {
        const stack = stackRefOf(linkOf(r.links, 'stack'));
        const where = stack && stack.name !== props.rootStackName ? stack.name : undefined;
        const key = `${stack?.id ?? ''}/${r.resource_name}`;
        return (
          <section class="deployment-card" key={key} aria-labelledby={`deployment-${key}`}>
            <h3 id={`deployment-${key}`}>
              {r.resource_name} {where ? <span class="muted small">in {where}</span> : null}{' '}
              <StatusBadge status={r.resource_status} />
            </h3>
            {r.physical_resource_id ? (
              <DeploymentDetails
                client={props.client}
                id={r.physical_resource_id}
                resourceStatus={r.resource_status}
                progress={progressOf(props.events, r.physical_resource_id)}
                reloadKey={changeKey}
                serverNames={names}
              />
            ) : (
              <p class="muted">
                Not deployed yet{r.resource_status_reason ? ` (${r.resource_status_reason})` : ''}.
              </p>
            )}
          </section>
        );
      })}
    </div>
  );
}
