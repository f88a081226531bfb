/**
 * Operations of the stack lookup redirects (`routes/lookup.ts`): every method of a URL naming a stack by name,
 * id or ARN answers 302 to the canonical URL.
 */
import type { Method, Operation } from '../route-table.js';
import { ref } from './components.js';
import { operation } from './operation.js';
import { anyQuerystring } from './primitives.js';

/** `listStack…` → `ListStack…`. */
function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Operations already built, by method and subpath (one schema object each: compiled once). */
const BUILT = new Map<string, Operation>();

/** The redirect of `method` on `/v1/{tenant}/stacks/{stackName}[/subpath]`. */
export function lookupOperation(method: Method, subpath: string): Operation {
  const key = `${method} ${subpath}`;
  const known = BUILT.get(key);
  if (known) return known;
  const built = buildLookupOperation(method, subpath);
  BUILT.set(key, built);
  return built;
}

function buildLookupOperation(method: Method, subpath: string): Operation {
  const url = `/v1/:tenant/stacks/:stackName${subpath ? `/${subpath}` : ''}`;
  return operation({
    operationId: `find${pascal(method.toLowerCase())}Stack${pascal(subpath)}`,
    summary: `Find a stack by name or id${subpath ? ` (${subpath})` : ''}`,
    description:
      'Answers 302 with Location at /v1/{tenant}/stacks/{name}/{id}' +
      (subpath ? `/${subpath}` : '') +
      ', keeping the query string. A stack ARN (arn:openstack:heat::{tenant}:stacks/{name}/{id}[/path]) in ' +
      'place of the name is redirected the same way.',
    tag: 'stack-lookup',
    url,
    pathParams: { stackName: 'Stack name, id or ARN.' },
    querystring: anyQuerystring,
    responses: { 302: { ...ref('WebobMessage'), description: 'Found: Location is the canonical URL' } },
  });
}
