/**
 * The OpenAPI tags: one per route family, in the order the document lists them.
 */

/** Tag names with their descriptions. */
export const API_TAGS = {
  versions: 'Version discovery and build information',
  stacks: 'Stacks: list, create, preview, show, update, delete',
  'stack-lookup': 'Stack URLs by name, id or ARN: 302 to the canonical /stacks/{name}/{id} URL',
  'stack-data': 'The stored template, environment and files of a stack; abandon and export',
  'stack-actions': 'Suspend, resume, check, cancel an update',
  snapshots: 'Stack snapshots and restore',
  outputs: 'Stack outputs',
  resources: 'Resources of a stack: list, show, metadata, signal, mark unhealthy',
  events: 'Stack and resource events',
  validate: 'Template validation',
  discovery: 'Template versions and functions, resource types',
  identity: 'Keystone v3 subset: tokens, projects, users, roles, application credentials',
  'software-configs': 'Software configurations',
  'software-deployments': 'Software deployments',
  agent: "Hosts' agent API: long-polled deployments, signals, progress",
  audit: 'Audit log of mutating calls',
  dashboard: 'Web dashboard',
  operations: 'Liveness, readiness and Prometheus metrics',
  meta: 'This document',
} as const;

/** A tag name. */
export type ApiTag = keyof typeof API_TAGS;
