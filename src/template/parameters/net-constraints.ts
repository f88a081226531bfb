/**
 * Network custom constraints (`ip_addr`, `net_cidr`, `ip_or_cidr`, `mac_addr`) with the checks and messages of
 * Heat's common constraints (which use neutron-lib's `validate_ip_address`/`validate_subnet` and netaddr).
 */
import { isIPv6 } from 'node:net';
import { pyStr } from './python.js';

const IPV4_PART = /^\d+$/;

/** Parses a dotted-quad IPv4 address; leading zeros are tolerated (netaddr's ZEROFILL) and reported via `canonical`. */
function parseIPv4(text: string, allowLeadingZeros: boolean): { octets: number[]; canonical: string } | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const p of parts) {
    if (!IPV4_PART.test(p) || (!allowLeadingZeros && p.length > 1 && p.startsWith('0'))) return null;
    const n = Number(p);
    if (n > 255) return null;
    octets.push(n);
  }
  return { octets, canonical: octets.join('.') };
}

/** Parses an IPv6 address into its eight 16-bit groups (embedded IPv4 tail allowed; zone ids refused). */
function parseIPv6(text: string): number[] | null {
  if (text.includes('%') || !isIPv6(text)) return null;
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail, false);
    if (!v4) return null;
    const [a = 0, b = 0, c = 0, d = 0] = v4.octets;
    body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const toGroups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const head = toGroups(halves[0] ?? '');
  if (halves.length === 1) return head.length === 8 ? head : null;
  const rest = toGroups(halves[1] ?? '');
  const missing = 8 - head.length - rest.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...rest];
}

/** Formats IPv6 groups with the longest run (≥ 2) of zero groups compressed, lower-case hex. */
function formatIPv6(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** neutron-lib's `validate_ip_address`: null when valid, else its message. */
export function validateIpAddress(data: unknown): string | null {
  const text = pyStr(data);
  const invalid = `'${text}' is not a valid IP address`;
  if (typeof data !== 'string' || /\s/.test(data)) return invalid;
  if (data.includes(':')) return parseIPv6(data) ? null : invalid;
  const v4 = parseIPv4(data, true);
  if (!v4) return invalid;
  if (v4.canonical !== data)
    return `'${data}' is not an accepted IP address, '${v4.canonical}' is recommended`;
  return null;
}

interface Network {
  version: 4 | 6;
  /** The network as netaddr prints it (address as given, normalised; `/prefix`). */
  text: string;
  /** The network address with host bits cleared, `/prefix`. */
  cidr: string;
}

function netmaskPrefix(mask: number[]): number | null {
  const bits = mask.map((o) => o.toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits) ? (bits.indexOf('0') === -1 ? 32 : bits.indexOf('0')) : null;
}

/** netaddr's `IPNetwork(text)` (strict addresses): null when it cannot be parsed. */
function parseNetwork(text: string): Network | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const suffix = slash < 0 ? undefined : text.slice(slash + 1);
  if (addr.includes(':')) {
    const groups = parseIPv6(addr);
    if (!groups) return null;
    const prefix = suffix === undefined ? 128 : /^\d+$/.test(suffix) ? Number(suffix) : NaN;
    if (!(prefix >= 0 && prefix <= 128)) return null;
    const masked = groups.map((g, i) => {
      const keep = Math.max(0, Math.min(16, prefix - i * 16));
      return keep === 0 ? 0 : g & ((0xffff << (16 - keep)) & 0xffff);
    });
    return { version: 6, text: `${formatIPv6(groups)}/${prefix}`, cidr: `${formatIPv6(masked)}/${prefix}` };
  }
  const v4 = parseIPv4(addr, false);
  if (!v4) return null;
  let prefix: number | null;
  if (suffix === undefined) prefix = 32;
  else if (/^\d+$/.test(suffix)) prefix = Number(suffix);
  else {
    const mask = parseIPv4(suffix, false);
    prefix = mask ? netmaskPrefix(mask.octets) : null;
  }
  if (prefix === null || prefix > 32) return null;
  const value = v4.octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = value - (value % size);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return { version: 4, text: `${v4.canonical}/${prefix}`, cidr: `${octets.join('.')}/${prefix}` };
}

/** neutron-lib's `validate_subnet`: null when valid, else its message. */
export function validateSubnet(data: unknown): string | null {
  const text = pyStr(data);
  if (typeof data !== 'string' || /\s/.test(data)) return `'${text}' is not a valid IP subnet`;
  const net = parseNetwork(data);
  if (!net) return `'${text}' is not a valid IP subnet`;
  if (!data.includes('/') || (net.version === 4 && net.text !== data)) {
    return `'${data}' isn't a recommended CIDR, '${net.cidr}' is recommended`;
  }
  return null;
}

/** `net_cidr`: null when valid, else the constraint's message. */
export function checkNetCidr(value: unknown): string | null {
  if (typeof value !== 'string' || !parseNetwork(value)) {
    return `Invalid net cidr invalid IPNetwork ${pyStr(value)} `;
  }
  return validateSubnet(value);
}

/** `ip_or_cidr`: null when valid, else the constraint's message. */
export function checkIpOrCidr(value: unknown): string | null {
  if (typeof value !== 'string') return `${pyStr(value)} is not a valid IP or CIDR`;
  return value.includes('/') ? validateSubnet(value) : validateIpAddress(value);
}

const MAC_FORMATS: readonly RegExp[] = [
  /^[0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5}$/i,
  /^[0-9a-f]{1,2}(?:-[0-9a-f]{1,2}){5}$/i,
  /^[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){2}$/i,
  /^[0-9a-f]{1,4}(?:-[0-9a-f]{1,4}){2}$/i,
  /^[0-9a-f]{1,4}(?:\.[0-9a-f]{1,4}){2}$/i,
  /^[0-9a-f]{5,6}[-:][0-9a-f]{5,6}$/i,
  /^[0-9a-f]{11,12}$/i,
];

/** netaddr's `valid_mac`: the EUI-48 textual forms (UNIX, EUI-48, Cisco, PostgreSQL, bare). */
export function isValidMac(value: unknown): boolean {
  return typeof value === 'string' && MAC_FORMATS.some((re) => re.test(value));
}
