// 200 hosts on one `hearth server`, through the real flow: one stack of 200 `OS::Heat::DeployedServer` and one
// `OS::Heat::SoftwareDeploymentGroup` of a script config across all of them; 200 in-process `Agent`s (real HTTP,
// each with its own state directory), each configured from its own server's `os_collect_config` as soon as the
// stack shows it. Prints the stack's create-to-CREATE_COMPLETE time (target < 5 s), then the server's CPU while
// the 200 agents sit idle in their long-polls for 10 s (utime+stime of /proc/<pid>/stat; target < 5 %).
//
//   npm run build && node bench/agents.mjs        (AGENTS=50 node bench/agents.mjs for fewer)
import { setMaxListeners } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, startServer } from './lib.mjs';

const AGENTS = Number(process.env.AGENTS ?? 200);
const IDLE_SECONDS = 10;
const { Agent, agentLogger, parseAgentConfig } = await import('../dist/agent/index.js');

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** The template: AGENTS deployed servers, a script config, a deployment group across all of them. */
function template() {
  const names = Array.from({ length: AGENTS }, (_, i) => `host${i}`);
  return {
    heat_template_version: '2018-08-31',
    resources: {
      ...Object.fromEntries(names.map((n) => [n, { type: 'OS::Heat::DeployedServer' }])),
      config: {
        type: 'OS::Heat::SoftwareConfig',
        properties: {
          group: 'script',
          outputs: [{ name: 'result' }],
          config:
            '#!/bin/sh\necho "deployed on $deploy_server_id"\necho done > "$heat_outputs_path/result"\n',
        },
      },
      deployments: {
        type: 'OS::Heat::SoftwareDeploymentGroup',
        properties: {
          config: { get_resource: 'config' },
          servers: Object.fromEntries(names.map((n) => [n, { get_resource: n }])),
        },
      },
    },
    outputs: {
      results: { value: { get_attr: ['deployments', 'result'] } },
      ...Object.fromEntries(names.map((n) => [n, { value: { get_attr: [n, 'os_collect_config'] } }])),
    },
  };
}

const server = await startServer('hearth-bench-agents-', ['--max-events-per-stack', '2000']);
const endpoint = server.endpoint;
const stateRoot = mkdtempSync(join(tmpdir(), 'hearth-bench-agent-state-'));
const stop = new globalThis.AbortController();
setMaxListeners(0, stop.signal); // one stop signal shared by all the in-process agents
const logger = agentLogger('silent');
const agents = new Map();
const benchCpu0 = process.cpuUsage();

const serverCpu0 = cpuSeconds(server.pid);
const start = performance.now();
const { stack } = await call('POST', `${endpoint}/stacks`, { stack_name: 'agents', template: template() });
const stackUrl = `${endpoint}/stacks/agents/${stack.id}`;
let agentsUp;
let lastOutputs = 0;
let firstOutputs;
let firstAgent;
let status;
for (;;) {
  // Start an agent for every server whose os_collect_config is known (the outputs, read as a user would).
  if (agents.size < AGENTS && performance.now() - lastOutputs >= 200) {
    // Reading 200 outputs costs the server: not more than 5 times a second.
    lastOutputs = performance.now();
    firstOutputs ??= lastOutputs;
    const { outputs } = await call('GET', stackUrl).then((r) => r.stack);
    for (const o of outputs ?? []) {
      const cfg = o.output_value;
      if (!o.output_key.startsWith('host') || agents.has(o.output_key) || !cfg?.hearth?.token) continue;
      const config = parseAgentConfig(cfg, o.output_key);
      const agent = new Agent(config, { stateDir: join(stateRoot, o.output_key), logger, waitSeconds: 55 });
      agents.set(o.output_key, agent);
      void agent.run(stop.signal);
      firstAgent ??= performance.now();
    }
    if (agents.size === AGENTS) agentsUp = performance.now();
  }
  ({ stack_status: status } = (await call('GET', `${stackUrl}?resolve_outputs=false`)).stack);
  if (!status.endsWith('IN_PROGRESS')) break;
  await new Promise((r) => setTimeout(r, 50));
}
const end = performance.now();
const serverCpu = cpuSeconds(server.pid) - serverCpu0;
if (status !== 'CREATE_COMPLETE') {
  const { stack: s } = await call('GET', `${stackUrl}?resolve_outputs=false`);
  throw new Error(`stack ${status}: ${s.stack_status_reason}`);
}
const { output } = await call('GET', `${stackUrl}/outputs/results`);
const results = Object.values(output.output_value);
if (results.length !== AGENTS || results.some((r) => r !== 'done\n')) throw new Error('missing results');
const benchCpu = process.cpuUsage(benchCpu0);

// Idle: every agent has applied its deployment and is held in its long-poll again.
await new Promise((r) => setTimeout(r, 1000));
const cpu0 = cpuSeconds(server.pid);
const t0 = performance.now();
await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
const idleCpu = ((cpuSeconds(server.pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;

console.log(`agents: ${AGENTS} DeployedServers + a SoftwareDeploymentGroup, ${AGENTS} in-process agents`);
console.log(
  `create: stack CREATE_COMPLETE in ${((end - start) / 1000).toFixed(2)} s ` +
    `(stack created ${((firstOutputs - start) / 1000).toFixed(2)} s, first agent ${((firstAgent - start) / 1000).toFixed(2)} s, ` +
    `all ${AGENTS} agents started after ${((agentsUp - start) / 1000).toFixed(2)} s; target < 5 s); ` +
    `CPU used meanwhile: server ${serverCpu.toFixed(2)} s, agents ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(2)} s`,
);
console.log(
  `idle: server CPU ${idleCpu.toFixed(2)} % over ${IDLE_SECONDS} s with ${AGENTS} agents long-polling (target < 5 %)`,
);
stop.abort();
await server.stop();
rmSync(stateRoot, { recursive: true, force: true });
process.exit(0);
