/**
 * OS::Neutron::SecurityGroup rules: Heat's schema for one rule, the checks Neutron makes when the rules are
 * created (which Heat reports as the create's failure; here they fail validation, before anything is stored), and
 * the compiled {@link FirewallRule}s a container server's firewall applies.
 */
import type { PropertySchema } from '../../engine/plugin.js';
import type { FirewallRule } from '../../runtime/servers/firewall.js';

/** Heat's `_rule_schema`. */
export const RULE_SCHEMA: Readonly<Record<string, PropertySchema>> = {
  direction: {
    type: 'string',
    description:
      'The direction in which the security group rule is applied: ingress (traffic to the server) or egress.',
    default: 'ingress',
    constraints: [{ kind: 'allowed_values', values: ['ingress', 'egress'] }],
  },
  ethertype: {
    type: 'string',
    description: 'Ethertype of the traffic (container servers have IPv4 addresses only).',
    default: 'IPv4',
    constraints: [{ kind: 'allowed_values', values: ['IPv4', 'IPv6'] }],
  },
  port_range_min: {
    type: 'integer',
    description: 'The lowest port (TCP, UDP), or the ICMP type.',
    constraints: [{ kind: 'range', min: 0, max: 65535 }],
  },
  port_range_max: {
    type: 'integer',
    description: 'The highest port (TCP, UDP), or the ICMP code.',
    constraints: [{ kind: 'range', min: 0, max: 65535 }],
  },
  protocol: {
    type: 'string',
    description: 'tcp, udp, icmp, another protocol name Neutron knows, or a protocol number 0-255.',
  },
  remote_mode: {
    type: 'string',
    description: 'Whether to specify a remote group or a remote IP prefix.',
    default: 'remote_ip_prefix',
    constraints: [{ kind: 'allowed_values', values: ['remote_ip_prefix', 'remote_group_id'] }],
  },
  remote_group_id: {
    type: 'string',
    description:
      'The remote security group (its id, e.g. get_resource); none with remote_mode remote_group_id: this group.',
  },
  remote_ip_prefix: { type: 'string', description: 'The remote IP prefix (CIDR).' },
};

/** Neutron's protocol names and their numbers. */
const PROTOCOLS: Readonly<Record<string, number>> = {
  ah: 51,
  dccp: 33,
  egp: 8,
  esp: 50,
  gre: 47,
  icmp: 1,
  icmpv6: 58,
  igmp: 2,
  'ipv6-encap': 41,
  'ipv6-frag': 44,
  'ipv6-icmp': 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  'ipv6-route': 43,
  ospf: 89,
  pgm: 113,
  rsvp: 46,
  sctp: 132,
  tcp: 6,
  udp: 17,
  udplite: 136,
  vrrp: 112,
};

/** A rule after Heat's schema (defaults applied). */
type RuleProperties = Record<string, unknown>;

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function isIpv6(text: string): boolean {
  return /^[0-9a-fA-F:.]+$/.test(text) && text.includes(':') && (text.match(/::/g) ?? []).length <= 1;
}

/** The family of a CIDR (or plain address), or undefined when it is neither. */
function cidrFamily(text: string): 'IPv4' | 'IPv6' | undefined {
  const [address = '', bits, ...rest] = text.split('/');
  if (rest.length > 0) return undefined;
  const family = isIpv4(address) ? 'IPv4' : isIpv6(address) ? 'IPv6' : undefined;
  if (!family) return undefined;
  if (bits === undefined) return family;
  const max = family === 'IPv4' ? 32 : 128;
  return /^(0|[1-9][0-9]*)$/.test(bits) && Number(bits) <= max ? family : undefined;
}

/** The protocol number of a rule's `protocol` (undefined: any), or an error text. */
function protocolNumber(protocol: unknown): number | undefined | string {
  if (protocol === null || protocol === undefined || protocol === '' || protocol === 'any') return undefined;
  const text = String(protocol).toLowerCase();
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    return n <= 255 ? n : `protocol ${text} is not a protocol number (0-255)`;
  }
  const n = PROTOCOLS[text];
  return (
    n ??
    `protocol "${String(protocol)}" is not known; use a number 0-255 or one of ${Object.keys(PROTOCOLS).join(', ')}`
  );
}

/**
 * Every problem of the rules (Neutron's checks), each as `rules[i].<key>: …`; unknown values (null while
 * validating) are skipped.
 */
export function ruleProblems(rules: readonly RuleProperties[], ownId?: string): string[] {
  const problems: string[] = [];
  rules.forEach((rule, i) => {
    const at = (key: string, text: string) => problems.push(`rules[${i}].${key}: ${text}`);
    const protocol = protocolNumber(rule['protocol']);
    if (typeof protocol === 'string') at('protocol', protocol);
    const min = rule['port_range_min'];
    const max = rule['port_range_max'];
    const hasPorts = typeof min === 'number' || typeof max === 'number';
    if (hasPorts) {
      if (protocol === undefined)
        at('port_range_min', 'ports need a protocol (Neutron refuses port ranges for any protocol)');
      else if (protocol === 6 || protocol === 17) {
        if (typeof min === 'number' && typeof max === 'number' && min > max)
          at('port_range_min', `${min} is greater than port_range_max ${max}`);
        if (min === 0 || max === 0) at('port_range_min', 'port 0 is not a TCP/UDP port (1-65535)');
      } else if (protocol === 1) {
        if (typeof min === 'number' && min > 255) at('port_range_min', `ICMP type ${min} is not 0-255`);
        if (typeof max === 'number' && max > 255) at('port_range_max', `ICMP code ${max} is not 0-255`);
        if (typeof max === 'number' && typeof min !== 'number')
          at('port_range_max', 'an ICMP code needs an ICMP type (port_range_min)');
      } else if (typeof protocol === 'number') {
        at(
          'port_range_min',
          `ports are matched for tcp, udp (ports) and icmp (type and code) only, not protocol ${String(rule['protocol'])}`,
        );
      }
    }
    const prefix = rule['remote_ip_prefix'];
    const ethertype = rule['ethertype'];
    if (typeof prefix === 'string' && prefix !== '') {
      const family = cidrFamily(prefix);
      if (!family) at('remote_ip_prefix', `"${prefix}" is not an IP address or CIDR`);
      else if (typeof ethertype === 'string' && family !== ethertype)
        at('remote_ip_prefix', `"${prefix}" is an ${family} prefix but the rule's ethertype is ${ethertype}`);
    }
    const mode = rule['remote_mode'];
    const group = rule['remote_group_id'];
    if (mode === 'remote_group_id' && typeof prefix === 'string' && prefix !== '')
      at('remote_ip_prefix', 'remote_mode remote_group_id takes no remote_ip_prefix');
    if (mode !== 'remote_group_id' && typeof group === 'string' && group !== '' && group !== ownId)
      at('remote_group_id', 'needs remote_mode remote_group_id');
  });
  return problems;
}

/**
 * The IPv4 rules of a group as firewall rules (`ownId` is the group's id, for self-referencing rules). IPv6
 * rules are left out (container servers have no IPv6 address): their count is returned for an event.
 */
export function compileRules(
  rules: readonly RuleProperties[],
  ownId: string,
): { rules: FirewallRule[]; ipv6: number } {
  const out: FirewallRule[] = [];
  let ipv6 = 0;
  for (const rule of rules) {
    if (rule['ethertype'] === 'IPv6') {
      ipv6++;
      continue;
    }
    const direction = rule['direction'] === 'egress' ? 'egress' : 'ingress';
    const number = protocolNumber(rule['protocol']);
    const protocol =
      typeof number !== 'number'
        ? undefined
        : number === 6
          ? 'tcp'
          : number === 17
            ? 'udp'
            : number === 1
              ? 'icmp'
              : String(number);
    const min = typeof rule['port_range_min'] === 'number' ? rule['port_range_min'] : undefined;
    const max = typeof rule['port_range_max'] === 'number' ? rule['port_range_max'] : undefined;
    const ports =
      (protocol === 'tcp' || protocol === 'udp') && (min !== undefined || max !== undefined)
        ? { min: min ?? 1, max: max ?? 65535 }
        : undefined;
    const icmp =
      protocol === 'icmp' && min !== undefined
        ? { type: min, ...(max !== undefined ? { code: max } : {}) }
        : undefined;
    const byGroup = rule['remote_mode'] === 'remote_group_id';
    const group =
      typeof rule['remote_group_id'] === 'string' && rule['remote_group_id']
        ? rule['remote_group_id']
        : ownId;
    const prefix =
      typeof rule['remote_ip_prefix'] === 'string' && rule['remote_ip_prefix']
        ? rule['remote_ip_prefix']
        : undefined;
    out.push({
      direction,
      ...(protocol ? { protocol } : {}),
      ...(ports ? { ports } : {}),
      ...(icmp ? { icmp } : {}),
      ...(byGroup
        ? { remoteGroup: group }
        : prefix && prefix !== '0.0.0.0/0'
          ? { remoteIpPrefix: prefix }
          : {}),
    });
  }
  return { rules: out, ipv6 };
}
