/**
 * Heat's physical resource names: `<stack name>-<resource name>-<short id>`, the short id being 12 lower-case
 * base32 characters derived from the resource's UUID (`heat.common.short_id.get_id`), so the name is stable
 * for a resource row (retries after a crash produce the same name).
 */

/** The 12-character short id Heat derives from a (version 4) UUID: the 60 random bits of its `time` field. */
export function shortId(uuid: string): string {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`Invalid UUID ${uuid}`);
  const timeLow = BigInt(`0x${hex.slice(0, 8)}`);
  const timeMid = BigInt(`0x${hex.slice(8, 12)}`);
  const timeHi = BigInt(`0x${hex.slice(12, 16)}`) & 0x0fffn;
  const time = (timeHi << 48n) | (timeMid << 32n) | timeLow;
  // 60 bits as 8 big-endian bytes, padded after the least significant bit (the last byte is time << 4).
  const bytes: number[] = [];
  for (let off = 52; off > -8; off -= 8) {
    bytes.push(Number((off >= 0 ? time >> BigInt(off) : time << BigInt(-off)) & 0xffn));
  }
  return base32(bytes).slice(0, 12).toLowerCase();
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: readonly number[]): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** `Resource.physical_resource_name()`: `<stack name without trailing '*'>-<resource name>-<short id>`. */
export function physicalResourceName(stackName: string, resourceName: string, resourceId: string): string {
  return `${stackName.replace(/\*+$/, '')}-${resourceName}-${shortId(resourceId)}`;
}
