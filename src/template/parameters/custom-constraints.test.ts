import { describe, expect, it } from 'vitest';
import { checkCronExpression } from './cron-constraint.js';
import {
  checkCustomConstraint,
  COMMON_CUSTOM_CONSTRAINTS,
  customConstraintHint,
  isKnownCustomConstraint,
} from './custom-constraints.js';
import { checkExpiration, parseIsoTime } from './time-constraints.js';

const GOOD: Record<string, unknown[]> = {
  ip_addr: [
    '10.0.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '::1',
    'fe80::1',
    '2001:db8::8a2e:370:7334',
    '::ffff:1.2.3.4',
  ],
  net_cidr: ['10.0.0.0/24', '10.0.0.1/24', '0.0.0.0/0', '2001:db8::/32', '::/0'],
  ip_or_cidr: ['10.0.0.1', '10.0.0.0/8', '2001:db8::1', '2001:db8::/64'],
  mac_addr: [
    '00:16:3e:00:00:01',
    '00-16-3E-00-00-01',
    '0:16:3e:0:0:1',
    '0016.3e00.0001',
    '00163e000001',
    '00163e:000001',
  ],
  iso_8601: [
    '2024-01-31',
    '2024-01-31T10:20:30Z',
    '2024-01-31T10:20:30.123+02:00',
    '20240131T102030Z',
    '2024',
    '2024-02-29 10:20',
  ],
  cron_expression: [
    '',
    '* * * * *',
    '*/5 0-6 1,15 jan-jun mon-fri',
    '0 0 L * *',
    '0 0 * * 5L',
    '0 0 * * sat#2',
    '@daily',
    '0 0 * * * 30',
    '0 12 * * ? * 2030',
  ],
  dns_name: ['', 'example.com', 'example.com.', 'a-b.c-d.e', 'host'],
  dns_domain: ['', 'example.com.', 'org.'],
  rel_dns_name: ['', 'www', 'www.example'],
  timezone: ['', 'UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'US/Eastern', 'Etc/GMT+5'],
  json_string: ['', '{"a": 1}', '[1, 2]', '"s"', '5'],
  expiration: ['', '2999-01-01T00:00:00Z', ' 2999-01-01 '],
  test_constr: [1, 'x'],
};

const BAD: Record<string, [unknown, string][]> = {
  ip_addr: [
    ['nope', "Error validating value 'nope': Invalid IP address"],
    ['10.0.0', "Error validating value '10.0.0': Invalid IP address"],
    ['10.0.0.256', "Error validating value '10.0.0.256': Invalid IP address"],
    ['010.0.0.1', "Error validating value '010.0.0.1': Invalid IP address"],
    [' 10.0.0.1', "Error validating value ' 10.0.0.1': Invalid IP address"],
    ['fe80::1%eth0', "Error validating value 'fe80::1%eth0': Invalid IP address"],
    [5, "Error validating value '5': Invalid IP address"],
  ],
  net_cidr: [
    [
      '10.0.0.0',
      "Error validating value '10.0.0.0': '10.0.0.0' isn't a recommended CIDR, '10.0.0.0/32' is recommended",
    ],
    ['10.0.0.0/33', "Error validating value '10.0.0.0/33': Invalid net cidr invalid IPNetwork 10.0.0.0/33 "],
    ['abc', "Error validating value 'abc': Invalid net cidr invalid IPNetwork abc "],
    [
      '10.0.0.0/255.255.255.0',
      "Error validating value '10.0.0.0/255.255.255.0': '10.0.0.0/255.255.255.0' isn't a recommended CIDR, '10.0.0.0/24' is recommended",
    ],
    [
      '2001:db8::1',
      "Error validating value '2001:db8::1': '2001:db8::1' isn't a recommended CIDR, '2001:db8::1/128' is recommended",
    ],
  ],
  ip_or_cidr: [
    ['nope', "Error validating value 'nope': 'nope' is not a valid IP address"],
    [
      '01.2.3.4',
      "Error validating value '01.2.3.4': '01.2.3.4' is not an accepted IP address, '1.2.3.4' is recommended",
    ],
    ['10.0.0.0/99', "Error validating value '10.0.0.0/99': '10.0.0.0/99' is not a valid IP subnet"],
  ],
  mac_addr: [
    ['00:16:3e:00:00', "Error validating value '00:16:3e:00:00': Invalid MAC address."],
    ['zz:16:3e:00:00:01', "Error validating value 'zz:16:3e:00:00:01': Invalid MAC address."],
  ],
  iso_8601: [
    ['yesterday', "Error validating value 'yesterday'"],
    ['2024-13-01', "Error validating value '2024-13-01'"],
    ['2023-02-29', "Error validating value '2023-02-29'"],
    ['202401', "Error validating value '202401'"],
    ['2024-01-01T25:00', "Error validating value '2024-01-01T25:00'"],
  ],
  cron_expression: [
    [
      '* * *',
      "Error validating value '* * *': Invalid CRON expression: Exactly 5, 6 or 7 columns has to be specified for iterator expression.",
    ],
    [
      '61 * * * *',
      "Error validating value '61 * * * *': Invalid CRON expression: [61 * * * *] is not acceptable, out of range",
    ],
    [
      'x * * * *',
      "Error validating value 'x * * * *': Invalid CRON expression: [x * * * *] is not acceptable",
    ],
  ],
  dns_name: [
    [
      '-bad.com',
      "Error validating value '-bad.com': '-bad.com' not in valid format. Reason: Name '-bad' must not start or end with a hyphen.",
    ],
    [
      'a..b',
      "Error validating value 'a..b': 'a..b' not in valid format. Reason: Encountered an empty component.",
    ],
    [
      'Upper.com',
      "Error validating value 'Upper.com': 'Upper.com' not in valid format. Reason: Name 'Upper' must be 1-63 characters long, each of which can only be alphanumeric or a hyphen.",
    ],
    [
      'example.123.',
      "Error validating value 'example.123.': 'example.123.' not in valid format. Reason: TLD '123' must not be all numeric.",
    ],
  ],
  dns_domain: [['example.com', "Error validating value 'example.com': 'example.com' must end with '.'."]],
  rel_dns_name: [
    [
      'www.example.',
      "Error validating value 'www.example.': 'www.example.' is a FQDN. It should be a relative domain name.",
    ],
  ],
  timezone: [
    [
      'Mars/Olympus',
      "Error validating value 'Mars/Olympus': Invalid timezone: 'No time zone found with key Mars/Olympus'",
    ],
    [
      'europe/paris',
      "Error validating value 'europe/paris': Invalid timezone: 'No time zone found with key europe/paris'",
    ],
  ],
  json_string: [
    [
      '{bad',
      "Error validating value '{bad': JSON string {bad is invalid: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ],
  ],
  expiration: [
    [
      '2000-01-01T00:00:00Z',
      "Error validating value '2000-01-01T00:00:00Z': Expiration 2000-01-01T00:00:00Z is invalid: Expiration time is out of date.",
    ],
    ['soon', "Error validating value 'soon': Expiration soon is invalid: Unable to parse date string 'soon'"],
  ],
};

describe('checkCustomConstraint', () => {
  it('covers every common constraint in both tables', () => {
    expect(Object.keys(GOOD).sort()).toEqual([...COMMON_CUSTOM_CONSTRAINTS].sort());
    expect(Object.keys(BAD).sort()).toEqual(
      COMMON_CUSTOM_CONSTRAINTS.filter((n) => n !== 'test_constr').sort(),
    );
  });

  for (const [name, values] of Object.entries(GOOD)) {
    it.each(values.map((v) => [v]))(`${name} accepts %j`, (value) => {
      expect(checkCustomConstraint(name, value)).toBeNull();
    });
  }

  for (const [name, cases] of Object.entries(BAD)) {
    it.each(cases)(`${name} refuses %j`, (value, message) => {
      expect(checkCustomConstraint(name, value)).toBe(message);
    });
  }

  it('accepts any value for service-backed constraints', () => {
    expect(checkCustomConstraint('nova.flavor', 'm1.anything')).toBeNull();
    expect(checkCustomConstraint('glance.image', 'img')).toBeNull();
    expect(isKnownCustomConstraint('neutron.network')).toBe(true);
  });

  it('reports unknown names as Heat does, with a hint listing the supported ones', () => {
    expect(checkCustomConstraint('ipaddr', '1.2.3.4')).toBe(
      '"1.2.3.4" does not validate ipaddr (constraint not found)',
    );
    expect(isKnownCustomConstraint('ipaddr')).toBe(false);
    expect(customConstraintHint()).toContain('ip_addr, net_cidr');
    expect(customConstraintHint()).toContain('nova.flavor');
  });
});

describe('time helpers', () => {
  it('parses ISO 8601 with offsets and naive UTC', () => {
    expect(parseIsoTime('2024-01-31T10:20:30Z')).toBe(Date.UTC(2024, 0, 31, 10, 20, 30));
    expect(parseIsoTime('2024-01-31T12:20:30+02:00')).toBe(Date.UTC(2024, 0, 31, 10, 20, 30));
    expect(parseIsoTime('2024-01-31 10:20')).toBe(Date.UTC(2024, 0, 31, 10, 20));
    expect(parseIsoTime('2024')).toBe(Date.UTC(2024, 0, 1));
  });

  it('expiration is relative to now', () => {
    const now = Date.UTC(2030, 0, 1);
    expect(checkExpiration('2030-01-02', now)).toBeNull();
    expect(checkExpiration('2029-12-31', now)).toBe(
      'Expiration 2029-12-31 is invalid: Expiration time is out of date.',
    );
  });

  it('cron checks day-of-week nth and ranges', () => {
    expect(checkCronExpression('0 0 * * mon#6')).toContain('is not acceptable');
    expect(checkCronExpression('0 0 32 * *')).toContain('out of range');
    expect(checkCronExpression('0 0 * * */0')).toContain('is not acceptable');
  });
});
