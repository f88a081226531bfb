/**
 * Python `urllib.parse` pieces used by `make_url`: `quote`, `quote_plus`, `urlencode`, `urlunsplit`.
 */
import { pyStr } from './python.js';

const ALWAYS_SAFE = /^[A-Za-z0-9_.\-~]$/;

/** Python's `quote(text, safe)`: UTF-8 percent-encoding of everything but letters, digits, `_.-~` and `safe`. */
export function pyQuote(text: string, safe = '/'): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && (ALWAYS_SAFE.test(ch) || safe.includes(ch))) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Python's `quote_plus(text, safe)`: as {@link pyQuote}, spaces as `+`. */
export function pyQuotePlus(text: string, safe = ''): string {
  if (!text.includes(' ')) return pyQuote(text, safe);
  return pyQuote(text, `${safe} `).replaceAll(' ', '+');
}

/** Python's `urlencode(map)` (non-string values through `str()`). */
export function pyUrlencode(query: Readonly<Record<string, unknown>>): string {
  return Object.entries(query)
    .map(([k, v]) => `${pyQuotePlus(k)}=${pyQuotePlus(typeof v === 'string' ? v : pyStr(v))}`)
    .join('&');
}

/** Schemes Python's `urlunsplit` writes `//` for even without a host. */
const USES_NETLOC = new Set([
  '',
  'ftp',
  'http',
  'gopher',
  'nntp',
  'telnet',
  'imap',
  'wais',
  'file',
  'mms',
  'https',
  'shttp',
  'snews',
  'prospero',
  'rtsp',
  'rtspu',
  'rsync',
  'svn',
  'svn+ssh',
  'sftp',
  'nfs',
  'git',
  'git+ssh',
  'ws',
  'wss',
]);

/** Python 3.11's `urlunsplit((scheme, netloc, path, query, fragment))`. */
export function pyUrlunsplit(
  scheme: string,
  netloc: string,
  path: string,
  query: string,
  fragment: string,
): string {
  let url = path;
  if (netloc || (scheme && USES_NETLOC.has(scheme) && url.slice(0, 2) !== '//')) {
    if (url && url[0] !== '/') url = `/${url}`;
    url = `//${netloc}${url}`;
  }
  if (scheme) url = `${scheme}:${url}`;
  if (query) url = `${url}?${query}`;
  if (fragment) url = `${url}#${fragment}`;
  return url;
}
