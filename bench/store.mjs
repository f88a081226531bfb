// Store benchmark: how long one `apply` of 5000 write ops takes on SQLite (target: under 150 ms).
// Run after `npm run build`: `node bench/store.mjs [rounds]`. HEARTH_DIST may point at another build's dist/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dist = process.env.HEARTH_DIST ?? new URL('../dist/', import.meta.url).pathname;
const { openSqliteStore } = await import(join(dist, 'store/index.js'));
const { fixtureEvent, fixtureResource, fixtureStack } = await import(join(dist, 'store/fixtures.js'));

const rounds = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'hearth-store-bench-'));
const store = await openSqliteStore(join(dir, 'bench.db'));

/** 5000 ops as a converging engine writes them: creations, then state transitions each with its event. */
function batches() {
  const stack = fixtureStack();
  const resources = Array.from({ length: 1000 }, (_, i) =>
    fixtureResource(stack.id, { name: `r${i}`, properties: { size: i, name: `n${i}`, tags: ['a', 'b'] } }),
  );
  const transition = (patch, action, status) =>
    resources.flatMap((resource) => [
      { kind: 'updateResource', id: resource.id, patch },
      { kind: 'insertEvent', event: fixtureEvent(stack.id, { resourceName: resource.name, action, status }) },
    ]);
  const creation = [
    { kind: 'insertStack', stack },
    ...resources.map((resource) => ({ kind: 'insertResource', resource })),
    ...transition({ action: 'CREATE', status: 'IN_PROGRESS' }, 'CREATE', 'IN_PROGRESS'),
    ...transition({ status: 'COMPLETE', physicalId: 'p' }, 'CREATE', 'COMPLETE'),
  ].slice(0, 5000);
  const updates = [
    ...transition({ action: 'UPDATE', status: 'IN_PROGRESS' }, 'UPDATE', 'IN_PROGRESS'),
    ...transition({ status: 'COMPLETE', attributes: { ip: '10.0.0.1' } }, 'UPDATE', 'COMPLETE'),
    ...resources.map((resource) => ({
      kind: 'updateResource',
      id: resource.id,
      patch: { statusReason: 'ok' },
    })),
  ];
  return { creation, updates };
}

try {
  for (let round = 1; round <= rounds; round++) {
    const { creation, updates } = batches();
    for (const [label, ops] of [
      ['create batch', creation],
      ['update batch', updates],
    ]) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      await store.apply(ops);
      const ms = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      console.log(
        `round ${round} ${label}: ${ops.length} ops in ${ms.toFixed(1)} ms (CPU ${cpuMs.toFixed(1)} ms)`,
      );
    }
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
