/**
 * The resources as a table (the graph's content for reading and for assistive technology), nested stacks'
 * resources under their owner when expanded.
 */
import type { ResourceItem } from '../api/types.js';
import type { GraphResource } from '../graph/graph-view.js';
import { nestedStackOf, nodeKey } from '../graph/model.js';
import { formatTime } from '../ui/format.js';
import { StatusBadge } from '../ui/status.js';

/** The table. */
export function ResourcesTab(props: {
  rootStackId: string;
  resources: ReadonlyMap<string, ResourceItem[]>;
  expanded: ReadonlySet<string>;
  pausedKeys: ReadonlySet<string>;
  stale: boolean;
  onSelect(key: string, item: GraphResource): void;
  onToggle(item: GraphResource): void;
}) {
  const rows: { item: GraphResource; depth: number }[] = [];
  const walk = (stackId: string, depth: number) => {
    const items = [...(props.resources.get(stackId) ?? [])].sort((a, b) =>
      a.resource_name.localeCompare(b.resource_name),
    );
    for (const resource of items) {
      rows.push({ item: { stackId, resource }, depth });
      const nested = nestedStackOf(resource);
      if (nested && props.expanded.has(nodeKey(stackId, resource.resource_name)) && depth < 8)
        walk(nested.id, depth + 1);
    }
  };
  walk(props.rootStackId, 0);
  return (
    <table class="data resources">
      <thead>
        <tr>
          <th scope="col">Resource</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Reason</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ item, depth }) => {
          const key = nodeKey(item.stackId, item.resource.resource_name);
          const nested = nestedStackOf(item.resource);
          return (
            <tr key={key} data-resource={item.resource.resource_name}>
              <th scope="row" style={{ paddingLeft: `${0.5 + depth * 1.25}rem` }}>
                {nested ? (
                  <button
                    type="button"
                    class="link toggle"
                    aria-expanded={props.expanded.has(key)}
                    aria-label={`${props.expanded.has(key) ? 'Hide' : 'Show'} resources of nested stack ${item.resource.resource_name}`}
                    onClick={() => props.onToggle(item)}
                  >
                    {props.expanded.has(key) ? '▾' : '▸'}
                  </button>
                ) : null}
                <button type="button" class="link" onClick={() => props.onSelect(key, item)}>
                  {item.resource.resource_name}
                </button>
              </th>
              <td class="mono">{item.resource.resource_type}</td>
              <td>
                <StatusBadge
                  status={item.resource.resource_status}
                  paused={props.pausedKeys.has(key)}
                  stale={props.stale}
                />
              </td>
              <td class="reason">{item.resource.resource_status_reason}</td>
              <td>{formatTime(item.resource.updated_time)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
