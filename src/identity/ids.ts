/**
 * Identifiers and random secrets of the identity service, Keystone style.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A new resource id: 32 lowercase hex characters (a UUID's 128 bits without dashes, as Keystone's ids). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** A new bearer secret: `bytes` random bytes, base64url (a token: 32 bytes → 43 characters). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A new audit id (Keystone's `audit_ids` entries: 16 random bytes, base64url, 22 characters). */
export function newAuditId(): string {
  return randomBytes(16).toString('base64url');
}

/** SHA-256 of a bearer token, hex: what the store keeps instead of the token. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
