/**
 * Password (and application credential secret) hashing with scrypt, a memory-hard function, in a versioned
 * self-describing string: `$scrypt$v=1$ln=15,r=8,p=1$<salt>$<hash>` (salt and hash base64, no padding). The cost
 * parameters travel with each hash, so raising them later keeps older hashes verifiable.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters: N = 2^logN, block size r, parallelism p. */
export interface ScryptCost {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** The default cost: N=2^15, r=8, p=1 (32 MiB and ~50-100 ms per hash). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { logN: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = '$scrypt$v=1$';

/** Derives the scrypt key (in the libuv thread pool: the event loop stays free). */
function derive(secret: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  return new Promise((resolve, reject) =>
    scrypt(
      secret.normalize('NFC'),
      salt,
      KEY_BYTES,
      { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r * cost.p },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

/** Hashes a secret with a fresh random salt. */
export async function hashSecret(secret: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, cost);
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `${PREFIX}ln=${cost.logN},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

/** A decoded hash string. */
interface DecodedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

/** Decodes a hash string; undefined when it is not one this module wrote. */
function decode(encoded: string): DecodedHash | undefined {
  const m = /^\$scrypt\$v=1\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
    encoded,
  );
  if (!m) return undefined;
  const cost = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (cost.logN < 1 || cost.logN > 20 || cost.r < 1 || cost.p < 1) return undefined;
  return { cost, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

/**
 * Whether `secret` matches `encoded` (constant-time comparison). An unreadable hash never matches, but still
 * costs one hash so that the answer takes the usual time.
 */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const decoded = decode(encoded);
  if (!decoded) {
    await derive(secret, randomBytes(SALT_BYTES), DEFAULT_SCRYPT_COST);
    return false;
  }
  const key = await derive(secret, decoded.salt, decoded.cost);
  return key.length === decoded.key.length && timingSafeEqual(key, decoded.key);
}

/**
 * A hash of a random secret nobody knows, at the given cost (that of real hashes): verifying against it takes as long as verifying a
 * real user's password, so an unknown user name answers in the same time as a wrong password.
 */
export function dummyHash(cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  return hashSecret(randomBytes(24).toString('base64'), cost);
}
