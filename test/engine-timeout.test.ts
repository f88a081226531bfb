/**
 * Stack timeouts, in-process (the API only accepts whole minutes): a resource still waiting when the stack's
 * deadline passes is aborted, and the stack fails with Heat's "Timed out".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/start.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    listen: '127.0.0.1:0',
    dataDir: mkdtempSync(join(tmpdir(), 'hearth-to-')),
    insecureNoauth: true,
  });
});
afterAll(async () => {
  await server?.close();
});

it('fails a stack with "Timed out" when its deadline passes', async () => {
  const t = {
    heat_template_version: '2021-04-16',
    resources: { slow: { type: 'OS::Heat::TestResource', properties: { wait_secs: 600 } } },
  };
  const started = Date.now();
  const stack = await server.engine.createStack('p', { stackName: 'slow', template: t, timeoutMins: 0.02 });
  await server.engine.settle(stack.id);
  const shown = await server.engine.showStack('p', stack.id);
  expect(shown.action).toBe('CREATE');
  expect(shown.status).toBe('FAILED');
  expect(shown.statusReason).toBe('Timed out');
  expect(Date.now() - started).toBeLessThan(10_000);
});
