#!/usr/bin/env node
// Benchmark of the lifecycle: through the REST API of a real `hearth server` process (embedded SQLite), a stack of
// 1000 resources is updated so that 100 of them change (in place); the update's preview, the update, and a failing
// update that rolls back (the same 100 changes, and a failing resource in place of an unchanged one,
// disable_rollback false) are timed.
// Prints wall times; targets: update < 1 s, preview < 200 ms, rollback < 1 s.
//
//   npm run bench:update [-- --repeat 3]
import { call, startServer } from './lib.mjs';

const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 1;
const N = 1000;
const CHANGED = 100;

async function settle(endpoint, name, id) {
  for (;;) {
    const { stack } = await call('GET', `${endpoint}/stacks/${name}/${id}?resolve_outputs=false`);
    if (!stack.stack_status.endsWith('IN_PROGRESS')) return stack;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** 1000 OS::Heat::Value; the first 100 take their value from parameter `gen`. */
function template(failing) {
  const resources = {};
  for (let i = 0; i < N; i++) {
    resources[`r${i}`] = {
      type: 'OS::Heat::Value',
      properties: {
        value: i < CHANGED ? { list_join: ['-', ['v', { get_param: 'gen' }, String(i)]] } : `v-${i}`,
      },
    };
  }
  if (failing) {
    // Stays at 1000 resources (Heat's max_resources_per_stack): the last one gives way to a failing one.
    delete resources[`r${N - 1}`];
    resources.boom = { type: 'OS::Heat::TestResource', properties: { fail: true }, depends_on: ['r0'] };
  }
  return { heat_template_version: '2021-04-16', parameters: { gen: { type: 'string' } }, resources };
}

const server = await startServer('hearth-bench-upd-');
const { endpoint } = server;

console.log(
  `hearth update bench: ${N} resources, ${CHANGED} changed per update, node ${process.version}, repeat ${repeat}`,
);
console.log('round  preview_s  update_s  update+rollback_s  rollback_s');
try {
  const name = 'upd';
  const created = await call('POST', `${endpoint}/stacks`, {
    stack_name: name,
    template: template(false),
    parameters: { gen: 'g0' },
  });
  const id = created.stack.id;
  const s0 = await settle(endpoint, name, id);
  if (s0.stack_status !== 'CREATE_COMPLETE')
    throw new Error(`create: ${s0.stack_status} ${s0.stack_status_reason}`);
  for (let round = 1; round <= repeat; round++) {
    const body = { template: template(false), parameters: { gen: `g${round}` } };
    const p0 = performance.now();
    const preview = await call('PUT', `${endpoint}/stacks/${name}/${id}/preview`, body);
    const p1 = performance.now();
    const updated = preview.resource_changes.updated.length;
    if (updated !== CHANGED) throw new Error(`preview says ${updated} updated, expected ${CHANGED}`);

    const u0 = performance.now();
    await call('PUT', `${endpoint}/stacks/${name}/${id}`, body);
    const s1 = await settle(endpoint, name, id);
    const u1 = performance.now();
    if (s1.stack_status !== 'UPDATE_COMPLETE')
      throw new Error(`update: ${s1.stack_status} ${s1.stack_status_reason}`);

    const r0 = performance.now();
    await call('PUT', `${endpoint}/stacks/${name}/${id}`, {
      template: template(true),
      parameters: { gen: `bad${round}` },
      disable_rollback: false,
    });
    let sawRollbackAt = 0;
    for (;;) {
      const { stack } = await call('GET', `${endpoint}/stacks/${name}/${id}?resolve_outputs=false`);
      if (!sawRollbackAt && stack.stack_status.startsWith('ROLLBACK')) sawRollbackAt = performance.now();
      if (!stack.stack_status.endsWith('IN_PROGRESS')) {
        if (stack.stack_status !== 'ROLLBACK_COMPLETE')
          throw new Error(`rollback: ${stack.stack_status} ${stack.stack_status_reason}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const r1 = performance.now();
    console.log(
      `${String(round).padStart(5)}  ${((p1 - p0) / 1000).toFixed(3).padStart(9)}  ${((u1 - u0) / 1000).toFixed(3).padStart(8)}  ${((r1 - r0) / 1000).toFixed(3).padStart(17)}  ${((r1 - (sawRollbackAt || r0)) / 1000).toFixed(3).padStart(10)}`,
    );
  }
} finally {
  await server.stop();
}
