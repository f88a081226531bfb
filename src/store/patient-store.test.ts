import { describe, expect, it } from 'vitest';
import { fixtureStack } from './fixtures.js';
import { FencedError, patientStore, withPatience } from './patient-store.js';
import { openTestStore } from './testing/databases.js';

/** The error a driver gives when the server refuses connections. */
function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

describe('withPatience', () => {
  it('retries while the database is unreachable and answers once it is back, telling the outage once', async () => {
    let calls = 0;
    const told: string[] = [];
    const value = await withPatience(
      async () => {
        calls++;
        if (calls < 4) throw refused();
        return 'ok';
      },
      { maxWaitMs: 5000, initialDelayMs: 10, onOutage: (event) => told.push(event) },
    );
    expect(value).toBe('ok');
    expect(calls).toBe(4);
    expect(told).toEqual(['waiting', 'back']);
  });

  it('waits the whole allowance (the last wait cut to the time left), then fails with the driver error', async () => {
    const started = Date.now();
    await expect(
      withPatience(() => Promise.reject(refused()), { maxWaitMs: 700, initialDelayMs: 100 }),
    ).rejects.toThrow(/ECONNREFUSED/);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(690);
    expect(waited).toBeLessThan(1500);
  });

  it('other errors fail at once', async () => {
    let calls = 0;
    await expect(
      withPatience(
        async () => {
          calls++;
          throw new Error('duplicate key value violates unique constraint');
        },
        { maxWaitMs: 5000 },
      ),
    ).rejects.toThrow(/duplicate key/);
    expect(calls).toBe(1);
  });

  it('gives up at once when told to (a fenced engine must not write late)', async () => {
    let fenced = false;
    let calls = 0;
    const started = Date.now();
    const pending = withPatience(
      async () => {
        calls++;
        fenced = calls >= 2;
        throw refused();
      },
      { maxWaitMs: 60_000, initialDelayMs: 20, giveUp: () => fenced },
    );
    await expect(pending).rejects.toThrow(/ECONNREFUSED/);
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('patientStore', () => {
  it('refuses the writes of a fenced engine before they reach the database; reads still go through', async () => {
    const opened = await openTestStore('sqlite');
    try {
      let fenced = false;
      const store = patientStore(opened.store, { maxWaitMs: 1000, giveUp: () => fenced });
      const stack = fixtureStack();
      await store.apply([{ kind: 'insertStack', stack }]);
      fenced = true;
      await expect(
        store.apply([{ kind: 'updateStack', id: stack.id, patch: { status: 'FAILED' } }]),
      ).rejects.toBeInstanceOf(FencedError);
      expect((await store.getStack(stack.id))?.status).toBe('COMPLETE');
      fenced = false;
      await store.apply([{ kind: 'updateStack', id: stack.id, patch: { status: 'FAILED' } }]);
      expect((await store.getStack(stack.id))?.status).toBe('FAILED');
    } finally {
      await opened.dispose();
    }
  });
});
