/**
 * Custom constraints (`custom_constraint: <name>`), usable by parameters and resource properties.
 *
 * The common constraints are checked locally with Heat's rules and messages. Service-backed names
 * (`nova.flavor`, `glance.image`, …) are recognised but accept any value: Hearth has no such services to ask.
 */
import { checkCronExpression } from './cron-constraint.js';
import { checkDnsDomain, checkDnsName, checkRelativeDnsName } from './dns-constraints.js';
import { parsePythonJson } from './json-text.js';
import { checkIpOrCidr, checkNetCidr, isValidMac, validateIpAddress } from './net-constraints.js';
import { pyStr } from './python.js';
import { checkExpiration, checkTimezone, isIso8601 } from './time-constraints.js';

/** A check: null when `value` is valid, else the reason (without the "Error validating value" framing). */
type Check = (value: unknown) => { ok: true } | { ok: false; reason?: string };

const reason = (r: string | null): { ok: true } | { ok: false; reason: string } =>
  r === null ? { ok: true } : { ok: false, reason: r };

function checkJsonString(value: unknown): string | null {
  if (value === null || value === undefined || value === '' || value === false || value === 0) return null;
  if (typeof value !== 'string') return `JSON string ${pyStr(value)} is invalid: the JSON object must be str`;
  try {
    parsePythonJson(value);
    return null;
  } catch (e) {
    return `JSON string ${value} is invalid: ${(e as Error).message}`;
  }
}

const COMMON_CHECKS: Readonly<Record<string, Check>> = {
  ip_addr: (v) =>
    typeof v === 'string' && validateIpAddress(v) === null
      ? { ok: true }
      : { ok: false, reason: 'Invalid IP address' },
  net_cidr: (v) => reason(checkNetCidr(v)),
  ip_or_cidr: (v) => reason(checkIpOrCidr(v)),
  mac_addr: (v) => (isValidMac(v) ? { ok: true } : { ok: false, reason: 'Invalid MAC address.' }),
  iso_8601: (v) => (isIso8601(v) ? { ok: true } : { ok: false }),
  cron_expression: (v) => reason(checkCronExpression(v)),
  dns_name: (v) => reason(checkDnsName(v)),
  dns_domain: (v) => reason(checkDnsDomain(v)),
  rel_dns_name: (v) => reason(checkRelativeDnsName(v)),
  timezone: (v) => reason(checkTimezone(v)),
  json_string: (v) => reason(checkJsonString(v)),
  expiration: (v) => reason(checkExpiration(v)),
  test_constr: () => ({ ok: true }),
};

/** The custom constraints Hearth checks itself. */
export const COMMON_CUSTOM_CONSTRAINTS: readonly string[] = Object.keys(COMMON_CHECKS);

/** Heat's service-backed custom constraints: recognised, every value accepted. */
export const SERVICE_CUSTOM_CONSTRAINTS: readonly string[] = [
  'barbican.container',
  'barbican.secret',
  'blazar.reservation',
  'cinder.backup',
  'cinder.qos_specs',
  'cinder.snapshot',
  'cinder.volume',
  'cinder.vtype',
  'designate.zone',
  'glance.image',
  'ironic.node',
  'ironic.portgroup',
  'keystone.domain',
  'keystone.group',
  'keystone.project',
  'keystone.region',
  'keystone.role',
  'keystone.service',
  'keystone.user',
  'magnum.cluster_template',
  'manila.share_network',
  'manila.share_snapshot',
  'manila.share_type',
  'mistral.workflow',
  'neutron.address_scope',
  'neutron.flow_classifier',
  'neutron.lbaas.listener',
  'neutron.lbaas.loadbalancer',
  'neutron.lbaas.pool',
  'neutron.lbaas.provider',
  'neutron.network',
  'neutron.port',
  'neutron.port_pair',
  'neutron.port_pair_group',
  'neutron.qos_policy',
  'neutron.router',
  'neutron.security_group',
  'neutron.segment',
  'neutron.subnet',
  'neutron.subnetpool',
  'neutron.taas.tap_flow',
  'neutron.taas.tap_service',
  'nova.flavor',
  'nova.host',
  'nova.keypair',
  'nova.network',
  'nova.server',
  'octavia.availabilityzone',
  'octavia.availabilityzoneprofile',
  'octavia.flavor',
  'octavia.flavorprofile',
  'octavia.l7policy',
  'octavia.listener',
  'octavia.loadbalancer',
  'octavia.pool',
  'trove.flavor',
  'zaqar.queue',
];

/** True if `name` is a custom constraint Hearth knows (common or service-backed). */
export function isKnownCustomConstraint(name: string): boolean {
  return Object.hasOwn(COMMON_CHECKS, name) || SERVICE_CUSTOM_CONSTRAINTS.includes(name);
}

/** The hint listing the supported custom constraint names (for unknown names). */
export function customConstraintHint(): string {
  return `supported custom constraints: ${[...COMMON_CUSTOM_CONSTRAINTS, ...SERVICE_CUSTOM_CONSTRAINTS].join(', ')}`;
}

/**
 * Checks `value` against custom constraint `name`.
 * @returns null when valid; else Heat's message: `Error validating value 'x': Invalid IP address`, or for an
 *   unknown name `"x" does not validate foo (constraint not found)` (see {@link customConstraintHint}).
 */
export function checkCustomConstraint(name: string, value: unknown): string | null {
  const check = Object.hasOwn(COMMON_CHECKS, name) ? COMMON_CHECKS[name] : undefined;
  if (!check) {
    if (SERVICE_CUSTOM_CONSTRAINTS.includes(name)) return null;
    return `"${pyStr(value)}" does not validate ${name} (constraint not found)`;
  }
  const result = check(value);
  if (result.ok) return null;
  return result.reason === undefined
    ? `Error validating value '${pyStr(value)}'`
    : `Error validating value '${pyStr(value)}': ${result.reason}`;
}
