#!/usr/bin/env node
// Benchmark: through the REST API of a real `hearth server` process (embedded SQLite), create and delete stacks of
// N OS::Heat::RandomString (N = 10, 100, 1000) and a ResourceGroup of 1000 OS::Heat::None. Prints, per case, the wall
// time from the create call to CREATE_COMPLETE, from the delete call to DELETE_COMPLETE, and the server's peak RSS.
//
//   npm run bench [-- --repeat 3]
import { call, rssMb, startServer } from './lib.mjs';

const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 1;

async function waitStatus(endpoint, name, id, done) {
  for (;;) {
    const r = await fetch(`${endpoint}/stacks/${name}/${id}?resolve_outputs=false`, {
      headers: { accept: 'application/json' },
    });
    if (r.status === 404) return 'DELETE_COMPLETE';
    const { stack } = await r.json();
    if (!stack.stack_status.endsWith('IN_PROGRESS')) {
      if (stack.stack_status !== done)
        throw new Error(`${name}: ${stack.stack_status} ${stack.stack_status_reason}`);
      return stack.stack_status;
    }
    await new Promise((res) => setTimeout(res, 5));
  }
}

function randomStrings(n) {
  const resources = {};
  for (let i = 0; i < n; i++)
    resources[`r${i}`] = { type: 'OS::Heat::RandomString', properties: { length: 16 } };
  return { heat_template_version: '2021-04-16', resources };
}

function group(n) {
  return {
    heat_template_version: '2021-04-16',
    resources: {
      g: {
        type: 'OS::Heat::ResourceGroup',
        properties: { count: n, resource_def: { type: 'OS::Heat::None' } },
      },
    },
  };
}

const cases = [
  ['RandomString x10', randomStrings(10)],
  ['RandomString x100', randomStrings(100)],
  ['RandomString x1000', randomStrings(1000)],
  ['ResourceGroup of 1000 None', group(1000)],
];

const server = await startServer('hearth-bench-');
const { endpoint, dataDir } = server;

console.log(`hearth bench: node ${process.version}, embedded SQLite in ${dataDir}, repeat ${repeat}`);
console.log('case                          create_s  delete_s  server_rss_mb');
let k = 0;
try {
  for (const [label, template] of cases) {
    for (let rep = 0; rep < repeat; rep++) {
      const name = `bench-${k++}`;
      const t0 = performance.now();
      const created = await call('POST', `${endpoint}/stacks`, { stack_name: name, template });
      await waitStatus(endpoint, name, created.stack.id, 'CREATE_COMPLETE');
      const t1 = performance.now();
      await call('DELETE', `${endpoint}/stacks/${name}/${created.stack.id}`);
      await waitStatus(endpoint, name, created.stack.id, 'DELETE_COMPLETE');
      const t2 = performance.now();
      const rss = rssMb(server.pid);
      console.log(
        `${label.padEnd(30)}${((t1 - t0) / 1000).toFixed(3).padStart(8)}  ${((t2 - t1) / 1000).toFixed(3).padStart(8)}  ${rss.now.toFixed(0).padStart(6)} (peak ${rss.peak.toFixed(0)})`,
      );
    }
  }
} finally {
  const { peak } = rssMb(server.pid);
  console.log(`server peak RSS: ${peak.toFixed(1)} MB`);
  await server.stop();
}
