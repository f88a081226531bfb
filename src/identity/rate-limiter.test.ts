import { describe, expect, it } from 'vitest';
import { FailureRateLimiter, type FailureLimit } from './rate-limiter.js';

const limit: FailureLimit = { failures: 3, windowMs: 60_000 };

describe('FailureRateLimiter', () => {
  it('blocks a key after its limit, until the oldest failure leaves the window', () => {
    let now = 1_000_000;
    const limiter = new FailureRateLimiter(() => now);
    const keys = new Map([['user:alice', limit]]);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds(keys)).toBe(0);
      limiter.recordFailure(keys);
      now += 1000;
    }
    expect(limiter.retryAfterSeconds(keys)).toBe(57);
    now += 56_500;
    expect(limiter.retryAfterSeconds(keys)).toBe(1);
    now += 600;
    expect(limiter.retryAfterSeconds(keys)).toBe(0);
  });

  it('counts keys separately and blocks when any key of an attempt is blocked', () => {
    const limiter = new FailureRateLimiter(() => 0);
    const address = ['address:10.0.0.1', { failures: 2, windowMs: 1000 }] as const;
    limiter.recordFailure(new Map([address, ['user:a', limit]]));
    limiter.recordFailure(new Map([address, ['user:b', limit]]));
    expect(limiter.retryAfterSeconds(new Map([['user:c', limit]]))).toBe(0);
    expect(limiter.retryAfterSeconds(new Map([address, ['user:c', limit]]))).toBe(1);
  });

  it('forgets a key on clear (a successful sign-in)', () => {
    const limiter = new FailureRateLimiter(() => 0);
    const keys = new Map([['user:bob', limit]]);
    for (let i = 0; i < 3; i++) limiter.recordFailure(keys);
    expect(limiter.retryAfterSeconds(keys)).toBeGreaterThan(0);
    limiter.clear('user:bob');
    expect(limiter.retryAfterSeconds(keys)).toBe(0);
  });
});
