import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST, dummyHash, hashSecret, verifySecret } from './passwords.js';

describe('password hashing (scrypt)', () => {
  it('writes a versioned, self-describing string with a per-hash salt', async () => {
    const a = await hashSecret('s3cret');
    const b = await hashSecret('s3cret');
    expect(a).toMatch(/^\$scrypt\$v=1\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret');
  });

  it('verifies the right secret and refuses a wrong one', async () => {
    const hash = await hashSecret('correct horse');
    expect(await verifySecret('correct horse', hash)).toBe(true);
    expect(await verifySecret('correct hors', hash)).toBe(false);
    expect(await verifySecret('', hash)).toBe(false);
  });

  it('keeps verifying hashes made with another cost (the cost travels in the string)', async () => {
    const cheap = await hashSecret('pw', { logN: 10, r: 8, p: 1 });
    expect(cheap).toContain('$ln=10,r=8,p=1$');
    expect(await verifySecret('pw', cheap)).toBe(true);
  });

  it('never matches an unreadable hash, and still takes the time of one hash', async () => {
    const reference = await dummyHash();
    const start = performance.now();
    await verifySecret('x', reference);
    const normal = performance.now() - start;
    const start2 = performance.now();
    expect(await verifySecret('x', 'plain-text-password')).toBe(false);
    const unreadable = performance.now() - start2;
    expect(unreadable).toBeGreaterThan(normal / 4);
  });

  it('normalizes Unicode (NFC) so a password typed either way matches', async () => {
    const hash = await hashSecret('caf\u00e9', DEFAULT_SCRYPT_COST);
    expect(await verifySecret('cafe\u0301', hash)).toBe(true);
  });
});
