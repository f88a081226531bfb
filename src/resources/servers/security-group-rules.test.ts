import { describe, expect, it } from 'vitest';
import { compileRules, ruleProblems } from './security-group-rules.js';

/** A rule as Heat's schema leaves it (defaults applied). */
const rule = (fields: Record<string, unknown>) => ({
  direction: 'ingress',
  ethertype: 'IPv4',
  remote_mode: 'remote_ip_prefix',
  ...fields,
});

describe('security group rules', () => {
  it('compiles the seed template’s rules (icmp, ssh, 8080) and Heat’s remote modes', () => {
    const { rules, ipv6 } = compileRules(
      [
        rule({ protocol: 'icmp' }),
        rule({ protocol: 'tcp', port_range_min: 22, port_range_max: 22 }),
        rule({ protocol: 'tcp', port_range_min: 8080, port_range_max: 8080, remote_ip_prefix: '10.0.0.0/8' }),
        rule({ protocol: 'icmp', port_range_min: 8, port_range_max: 0 }),
        rule({ protocol: '47' }),
        rule({ direction: 'egress', protocol: 'udp', port_range_min: 53 }),
        rule({ remote_mode: 'remote_group_id' }),
        rule({ remote_mode: 'remote_group_id', remote_group_id: 'other' }),
        rule({ ethertype: 'IPv6', protocol: 'tcp' }),
        rule({ remote_ip_prefix: '0.0.0.0/0', protocol: 'udp' }),
      ],
      'own',
    );
    expect(ipv6).toBe(1);
    expect(rules).toEqual([
      { direction: 'ingress', protocol: 'icmp' },
      { direction: 'ingress', protocol: 'tcp', ports: { min: 22, max: 22 } },
      {
        direction: 'ingress',
        protocol: 'tcp',
        ports: { min: 8080, max: 8080 },
        remoteIpPrefix: '10.0.0.0/8',
      },
      { direction: 'ingress', protocol: 'icmp', icmp: { type: 8, code: 0 } },
      { direction: 'ingress', protocol: '47' },
      { direction: 'egress', protocol: 'udp', ports: { min: 53, max: 65535 } },
      { direction: 'ingress', remoteGroup: 'own' },
      { direction: 'ingress', remoteGroup: 'other' },
      { direction: 'ingress', protocol: 'udp' },
    ]);
  });

  it('finds what Neutron refuses, each with the rule index, key and value', () => {
    expect(
      ruleProblems([
        rule({ protocol: 'tcp', port_range_min: 90, port_range_max: 80 }),
        rule({ port_range_min: 22 }),
        rule({ protocol: 'smtp' }),
        rule({ protocol: '300' }),
        rule({ protocol: 'tcp', port_range_min: 0 }),
        rule({ protocol: 'icmp', port_range_min: 300 }),
        rule({ protocol: 'gre', port_range_min: 1 }),
        rule({ remote_ip_prefix: '10.0.0.0/33' }),
        rule({ ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' }),
        rule({ remote_mode: 'remote_group_id', remote_ip_prefix: '10.0.0.0/8' }),
        rule({ remote_group_id: 'x' }),
      ]),
    ).toEqual([
      'rules[0].port_range_min: 90 is greater than port_range_max 80',
      'rules[1].port_range_min: ports need a protocol (Neutron refuses port ranges for any protocol)',
      expect.stringMatching(
        /^rules\[2\]\.protocol: protocol "smtp" is not known; use a number 0-255 or one of ah,/,
      ),
      'rules[3].protocol: protocol 300 is not a protocol number (0-255)',
      'rules[4].port_range_min: port 0 is not a TCP/UDP port (1-65535)',
      'rules[5].port_range_min: ICMP type 300 is not 0-255',
      'rules[6].port_range_min: ports are matched for tcp, udp (ports) and icmp (type and code) only, not protocol gre',
      'rules[7].remote_ip_prefix: "10.0.0.0/33" is not an IP address or CIDR',
      `rules[8].remote_ip_prefix: "10.0.0.0/8" is an IPv4 prefix but the rule's ethertype is IPv6`,
      'rules[9].remote_ip_prefix: remote_mode remote_group_id takes no remote_ip_prefix',
      'rules[10].remote_group_id: needs remote_mode remote_group_id',
    ]);
    expect(ruleProblems([rule({ protocol: null, port_range_min: null })])).toEqual([]);
  });
});
