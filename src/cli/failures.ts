/**
 * `stack failures list`: the FAILED leaf resources of a stack tree. A FAILED resource that owns a nested stack
 * is replaced by that stack's own FAILED resources (recursively) when it has any, so each failure is shown at
 * its root cause, with its nested path (`parent.child.leaf`) and its own reason.
 */
import type { HeatClient } from './client.js';

/** A resource as listed by the API (the fields the walk uses). */
interface ListedResource {
  resource_name: string;
  resource_type: string;
  resource_status: string;
  resource_status_reason: string;
  physical_resource_id: string;
  updated_time?: string | null;
  links: { href: string; rel: string }[];
}

/** One failed leaf. */
export interface Failure {
  /** `parent.child.leaf` from the top stack. */
  path: string;
  type: string;
  status: string;
  reason: string;
  physicalId: string;
  updatedTime: string | null;
  /** URL of the resource (for `--long` details). */
  url: string;
}

/**
 * Walks the stack at `stackUrl` (relative or absolute) and returns its failed leaves, depth first in listing
 * order. `maxDepth` bounds the nesting followed.
 */
export async function listFailures(
  client: HeatClient,
  stackUrl: string,
  prefix = '',
  maxDepth = 50,
): Promise<Failure[]> {
  const { resources } = await client.request<{ resources: ListedResource[] }>('GET', `${stackUrl}/resources`);
  const out: Failure[] = [];
  for (const r of resources) {
    if (!r.resource_status.endsWith('_FAILED')) continue;
    const path = prefix ? `${prefix}.${r.resource_name}` : r.resource_name;
    const nested = r.links.find((l) => l.rel === 'nested')?.href;
    if (nested && maxDepth > 0) {
      const inner = await listFailures(client, nested, path, maxDepth - 1);
      if (inner.length > 0) {
        out.push(...inner);
        continue;
      }
    }
    out.push({
      path,
      type: r.resource_type,
      status: r.resource_status,
      reason: r.resource_status_reason,
      physicalId: r.physical_resource_id,
      updatedTime: r.updated_time ?? null,
      url:
        r.links.find((l) => l.rel === 'self')?.href ??
        `${stackUrl}/resources/${encodeURIComponent(r.resource_name)}`,
    });
  }
  return out;
}

/** The text block of one failure (like `openstack stack failures list`). */
export function failureBlock(f: Failure, details: Record<string, unknown> = {}): string {
  const lines = [
    `${f.path}:`,
    `  resource_type: ${f.type}`,
    `  physical_resource_id: ${f.physicalId}`,
    `  status: ${f.status}`,
  ];
  lines.push('  status_reason: |', ...f.reason.split('\n').map((l) => `    ${l}`));
  for (const [k, v] of Object.entries(details)) {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    lines.push(`  ${k}: |`, ...text.split('\n').map((l) => `    ${l}`));
  }
  return lines.join('\n');
}
