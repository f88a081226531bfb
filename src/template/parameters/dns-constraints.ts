/**
 * DNS custom constraints (`dns_name`, `dns_domain`, `rel_dns_name`) with Heat's checks and messages
 * (heat.common.netutils.validate_dns_format and the constraint classes built on it).
 */
import { pyStr } from './python.js';

const DNS_LABEL_MAX_LEN = 63;
const FQDN_MAX_LEN = 255;
const DNS_LABEL = /^[a-z0-9-]{1,63}$/;

/** Heat's `validate_dns_format`: null when valid (empty is valid), else the reason. */
export function dnsFormatProblem(data: string): string | null {
  if (!data) return null;
  const trimmed = data.endsWith('.') ? data.slice(0, -1) : data;
  if (trimmed.length > FQDN_MAX_LEN) return `'${trimmed}' exceeds the ${FQDN_MAX_LEN} character FQDN limit`;
  const names = trimmed.split('.');
  for (const name of names) {
    if (!name) return 'Encountered an empty component.';
    if (name.startsWith('-') || name.endsWith('-'))
      return `Name '${name}' must not start or end with a hyphen.`;
    if (!DNS_LABEL.test(name)) {
      return (
        `Name '${name}' must be 1-${DNS_LABEL_MAX_LEN} characters long, each of which can only be ` +
        'alphanumeric or a hyphen.'
      );
    }
  }
  const tld = names[names.length - 1] ?? '';
  if (data.endsWith('.') && names.length > 1 && /^[0-9]+$/.test(tld))
    return `TLD '${tld}' must not be all numeric.`;
  return null;
}

/** `dns_name`: null when valid, else the constraint's error text. */
export function checkDnsName(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = pyStr(value);
  const reason = typeof value === 'string' ? dnsFormatProblem(value) : `'${pyStr(value)}' is not a string`;
  return reason === null ? null : `'${text}' not in valid format. Reason: ${reason}`;
}

/** `dns_domain`: a valid DNS name that ends with a dot. */
export function checkDnsDomain(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const problem = checkDnsName(value);
  if (problem) return problem;
  return pyStr(value).endsWith('.') ? null : `'${pyStr(value)}' must end with '.'.`;
}

/** `rel_dns_name`: a valid DNS name that is not fully qualified and leaves room for a domain. */
export function checkRelativeDnsName(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = pyStr(value);
  if (text.endsWith('.')) return `'${text}' is a FQDN. It should be a relative domain name.`;
  if (text.length > FQDN_MAX_LEN - 3) {
    return (
      `'${text}' contains '${text.length}' characters. Adding a domain name will cause it to exceed the ` +
      `maximum length of a FQDN of '${FQDN_MAX_LEN}'.`
    );
  }
  return checkDnsName(value);
}
