// 200 agents (in-process `Agent` instances, real HTTP, each with its own state directory) on one `hearth server`:
// prints how long 200 script deployments (one per agent, made through the REST API) take to complete, and the
// server's CPU use while the 200 agents sit idle in their long-polls for 10 s (utime+stime of /proc/<pid>/stat).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './lib.mjs';

const AGENTS = Number(process.env.AGENTS ?? 200);
const IDLE_SECONDS = 10;
const { Agent, agentLogger } = await import('../dist/agent/index.js');

async function call(method, url, body) {
  const r = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** A deployment of `script` to `serverId` as the deployment resource makes it (placeholder, row, derived config). */
async function deploy(endpoint, serverId, script) {
  const placeholder = await call('POST', `${endpoint}/software_configs`, {
    name: 'bench',
    group: 'script',
    config: '',
  });
  const { software_deployment: d } = await call('POST', `${endpoint}/software_deployments`, {
    config_id: placeholder.software_config.id,
    server_id: serverId,
    action: 'CREATE',
    status: 'IN_PROGRESS',
  });
  const derived = await call('POST', `${endpoint}/software_configs`, {
    name: 'bench',
    group: 'script',
    config: script,
    inputs: [
      { name: 'deploy_signal_transport', type: 'String', value: 'HEAT_SIGNAL' },
      {
        name: 'deploy_signal_id',
        type: 'String',
        value: `${endpoint}/agent/${serverId}/deployments/${d.id}/signal`,
      },
      { name: 'deploy_signal_verb', type: 'String', value: 'POST' },
    ],
    outputs: [{ name: 'result', type: 'String' }],
  });
  await call('PUT', `${endpoint}/software_deployments/${d.id}`, { config_id: derived.software_config.id });
  return d.id;
}

const server = await startServer('hearth-bench-agents-', ['--max-events-per-stack', '1000']);
const endpoint = server.endpoint;
const stateRoot = mkdtempSync(join(tmpdir(), 'hearth-bench-agent-state-'));
const stop = new globalThis.AbortController();
const logger = agentLogger('silent');
const agents = [];
for (let i = 0; i < AGENTS; i++) {
  const config = { endpoint, serverId: `bench-${i}`, token: 'noauth', pollingIntervalSeconds: 30 };
  const agent = new Agent(config, { stateDir: join(stateRoot, String(i)), logger, waitSeconds: 55 });
  agents.push(agent);
  void agent.run(stop.signal);
}
// Every agent has polled once and is now held in its long-poll.
while (agents.some((a) => a.version === undefined)) await new Promise((r) => setTimeout(r, 50));
await new Promise((r) => setTimeout(r, 500));

const cpu0 = cpuSeconds(server.pid);
const t0 = performance.now();
await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
const idleCpu = ((cpuSeconds(server.pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;

const start = performance.now();
const ids = await Promise.all(
  agents.map((_, i) =>
    deploy(endpoint, `bench-${i}`, '#!/bin/sh\necho done > "$heat_outputs_path/result"\n'),
  ),
);
const created = performance.now();
for (;;) {
  const { software_deployments: list } = await call('GET', `${endpoint}/software_deployments`);
  const mine = list.filter((d) => ids.includes(d.id));
  const failed = mine.filter((d) => d.status === 'FAILED');
  if (failed.length > 0) throw new Error(`deployment failed: ${JSON.stringify(failed[0])}`);
  if (mine.length === ids.length && mine.every((d) => d.status === 'COMPLETE')) break;
  await new Promise((r) => setTimeout(r, 50));
}
const end = performance.now();

console.log(`agents: ${AGENTS} in-process agents, one hearth server`);
console.log(
  `deployments: ${AGENTS} script deployments complete in ${((end - start) / 1000).toFixed(2)} s ` +
    `(REST creation ${((created - start) / 1000).toFixed(2)} s, then ${((end - created) / 1000).toFixed(2)} s to COMPLETE; target < 5 s)`,
);
console.log(
  `idle: server CPU ${idleCpu.toFixed(2)} % over ${IDLE_SECONDS} s with ${AGENTS} agents long-polling (target < 5 %)`,
);
stop.abort();
await server.stop();
rmSync(stateRoot, { recursive: true, force: true });
process.exit(0);
