// Pods on the real dockerd through the whole flow: `hearth server`, in-process `hearth agent`s with the kubelet
// hook, and verified busybox images (built here from busybox-static, imported with `hearth image import`).
//
//   1. latency: a 2-container pod (httpd with an HTTP readiness probe + a sidecar) from deployment create to
//      signal COMPLETE — a stack with one SoftwareDeployment to an existing server, created RUNS times (default
//      12); prints p50/p90/max (target p50 < 1 s);
//   2. 50 pods on one host: a stack of 50 such deployments to one server, create to CREATE_COMPLETE (target < 20 s);
//   3. rolling update of 10 pods over 3 servers: a SoftwareDeploymentGroup (4 + 3 + 3 members), rolling_update
//      max_batch_size 2, min_in_service 8, updated to a new image; the pods in service are counted from Docker's
//      own start/die events (target: never below 8).
//
//   npm run build && node bench/pods.mjs          (RUNS=20 PODS=50 node bench/pods.mjs to change the sizes)
import { execFileSync, spawnSync } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, startServer } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.RUNS ?? 12);
const PODS = Number(process.env.PODS ?? 50);
const { Agent, agentLogger, parseAgentConfig } = await import('../dist/agent/index.js');
const { connectDocker, dockerReachable } = await import('../dist/runtime/docker.js');
const { busyboxRootfs, packRootfs } = await import('../dist/runtime/images/rootfs.js');
const { writeImageArchive } = await import('../dist/runtime/images/archive.js');
const { LABEL } = await import('../dist/runtime/pods/labels.js');
const { runnerIdOf } = await import('../dist/agent/hooks/kubelet.js');

const docker = connectDocker();
if (!(await dockerReachable(docker))) throw new Error('no dockerd answering (see docs/runtime.md)');
const work = mkdtempSync(join(tmpdir(), 'hearth-bench-pods-'));
const registry = join(work, 'images.json');
const V1 = 'hearth-bench/busybox:v1';
const V2 = 'hearth-bench/busybox:v2';

/** Builds a busybox image whose /marker says `marker`, and imports it as `hearth image import` does. */
async function importImage(tag, marker) {
  const cache = process.env.HEARTH_RUNTIME_CACHE ?? join(tmpdir(), 'hearth-runtime-cache');
  const dir = mkdtempSync(join(work, 'img-'));
  const rootfs = join(dir, 'rootfs');
  await busyboxRootfs(rootfs, cache);
  execFileSync('sh', ['-c', 'printf "%s\\n" "$1" > "$2"', 'sh', marker, join(rootfs, 'marker')]);
  await packRootfs(rootfs, join(dir, 'layer.tar'));
  const archive = await writeImageArchive(
    join(dir, 'layer.tar'),
    { tag, cmd: ['/bin/sh'] },
    join(dir, 'img.tar'),
  );
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin', 'hearth.js'),
      'image',
      'import',
      archive.path,
      '--sha256',
      archive.sha256,
      '--registry',
      registry,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`image import failed: ${r.stdout}${r.stderr}`);
  rmSync(dir, { recursive: true, force: true });
}

/** The 2-container pod: httpd (ready once /marker answers) and a sidecar. */
function podConfig(image, hostPort) {
  return {
    type: 'OS::Heat::StructuredConfig',
    properties: {
      group: 'kubelet',
      config: {
        apiVersion: 'v1',
        kind: 'Pod',
        spec: {
          containers: [
            {
              name: 'web',
              image,
              command: ['httpd', '-f', '-p', '8080', '-h', '/'],
              ports: [{ name: 'http', containerPort: 8080, ...(hostPort ? { hostPort } : {}) }],
              readinessProbe: { httpGet: { path: '/marker', port: 'http' }, periodSeconds: 1 },
            },
            { name: 'sidecar', image, command: ['sleep', '3600'] },
          ],
        },
      },
      outputs: [{ name: 'containers' }],
    },
  };
}

/** A stack of `count` deployments of the pod to `serverId`. */
function podsTemplate(serverId, count, image) {
  const resources = { pod_config: podConfig(image) };
  for (let i = 0; i < count; i++) {
    resources[`pod${i}`] = {
      type: 'OS::Heat::SoftwareDeployment',
      properties: {
        config: { get_resource: 'pod_config' },
        server: serverId,
        input_values: { deploy_timeout: 60 },
      },
    };
  }
  return { heat_template_version: '2018-08-31', resources };
}

/** Servers `names` (DeployedServers) with their agent configs as outputs; optionally a rolling pod group. */
function serversTemplate(names, group) {
  return {
    heat_template_version: '2018-08-31',
    resources: {
      ...Object.fromEntries(names.map((n) => [n, { type: 'OS::Heat::DeployedServer' }])),
      ...(group
        ? {
            pod_config: podConfig(group.image),
            pods: {
              type: 'OS::Heat::SoftwareDeploymentGroup',
              update_policy: {
                rolling_update: { max_batch_size: 2, min_in_service: group.minInService, pause_time: 0 },
              },
              properties: {
                config: { get_resource: 'pod_config' },
                servers: Object.fromEntries(
                  Array.from({ length: group.pods }, (_, i) => [
                    `p${i}`,
                    { get_resource: names[i % names.length] },
                  ]),
                ),
                input_values: { deploy_timeout: 60 },
              },
            },
          }
        : {}),
    },
    outputs: Object.fromEntries(names.map((n) => [n, { value: { get_attr: [n, 'os_collect_config'] } }])),
  };
}

/** Polls a stack (every 10 ms) until it leaves IN_PROGRESS; returns its status and when it did. */
async function settle(stackUrl) {
  for (;;) {
    const { stack } = await call('GET', `${stackUrl}?resolve_outputs=false`);
    if (!stack.stack_status.endsWith('IN_PROGRESS')) {
      if (!stack.stack_status.endsWith('COMPLETE'))
        throw new Error(`${stack.stack_status}: ${stack.stack_status_reason}`);
      return { status: stack.stack_status, at: performance.now() };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Creates a stack (`meanwhile(url)` runs before waiting) and waits for it; returns its URL and create time in ms. */
async function createStack(endpoint, name, template, meanwhile = async () => {}) {
  const t0 = performance.now();
  const { stack } = await call('POST', `${endpoint}/stacks`, { stack_name: name, template });
  const url = `${endpoint}/stacks/${name}/${stack.id}`;
  await meanwhile(url);
  const { at } = await settle(url);
  return { url, ms: at - t0 };
}

/** Starts one in-process agent per server of the stack at `url` (host ports on 127.0.0.<2+i>). */
async function startAgents(url, names, stop, runners) {
  const logger = agentLogger(process.env.AGENT_LOG ?? 'silent');
  const ids = [];
  for (const [i, name] of names.entries()) {
    let raw;
    for (let n = 0; n < 500 && !raw?.hearth?.token; n++) {
      raw = (await call('GET', `${url}/outputs/${name}`)).output?.output_value;
      if (!raw?.hearth?.token) await new Promise((r) => setTimeout(r, 20));
    }
    const config = parseAgentConfig(raw, name);
    const agent = new Agent(config, {
      stateDir: join(work, `state-${config.serverId}`),
      logger,
      waitSeconds: 55,
      kubelet: { infraImage: V1, hostIp: `127.0.0.${2 + i}`, imageRegistry: registry },
    });
    void agent.run(stop);
    runners.push(runnerIdOf(config.serverId));
    ids.push(config.serverId);
  }
  return ids;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

await importImage(V1, 'v1');
await importImage(V2, 'v2');
const server = await startServer('hearth-bench-pods-', ['--max-events-per-stack', '2000']);
const stop = new globalThis.AbortController();
setMaxListeners(0, stop.signal); // one stop signal shared by the in-process agents
const runners = [];
try {
  // 1. Latency of one 2-container pod.
  const host = await createStack(server.endpoint, 'host', serversTemplate(['host']));
  const [hostId] = await startAgents(host.url, ['host'], stop.signal, runners);
  await createStack(server.endpoint, 'warmup', podsTemplate(hostId, 1, V1)).then((s) =>
    call('DELETE', s.url),
  );
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const { url, ms } = await createStack(server.endpoint, `pod-${i}`, podsTemplate(hostId, 1, V1));
    times.push(ms);
    await call('DELETE', url);
    await settleDeleted(url);
  }
  times.sort((a, b) => a - b);
  console.log(
    `pod latency: 2-container pod, deployment create → signal COMPLETE over ${RUNS} runs: ` +
      `p50 ${percentile(times, 50).toFixed(0)} ms, p90 ${percentile(times, 90).toFixed(0)} ms, ` +
      `max ${times.at(-1).toFixed(0)} ms (target p50 < 1000 ms)`,
  );

  // 2. PODS pods on one host.
  const many = await createStack(server.endpoint, 'many', podsTemplate(hostId, PODS, V1));
  const running = await docker.listContainers({
    filters: { label: [`${LABEL.runner}=${runners[0]}`, `${LABEL.role}=app`] },
  });
  if (running.length !== PODS * 2)
    throw new Error(`expected ${PODS * 2} app containers, found ${running.length}`);
  console.log(
    `${PODS} pods on one host: ${PODS * 2} app + ${PODS} infra containers, create → CREATE_COMPLETE in ` +
      `${seconds(many.ms)} (target < 20 s)`,
  );
  const t0 = performance.now();
  await call('DELETE', many.url);
  await settleDeleted(many.url);
  await waitForNoContainers(runners[0]);
  console.log(`  delete → DELETE_COMPLETE and every container gone in ${seconds(performance.now() - t0)}`);

  // 3. Rolling update of 10 pods over 3 servers, batch 2.
  const names = ['ra', 'rb', 'rc'];
  // The servers exist before their agents: the deployments wait for them.
  const roll = await createStack(
    server.endpoint,
    'roll',
    serversTemplate(names, { image: V1, pods: 10, minInService: 8 }),
    (url) => startAgents(url, names, stop.signal, runners),
  );
  const rollRunners = runners.slice(-3);
  const since = Math.floor(Date.now() / 1000) - 1;
  const startedNano = Date.now() * 1e6;
  const u0 = performance.now();
  await call('PUT', roll.url, { template: serversTemplate(names, { image: V2, pods: 10, minInService: 8 }) });
  const { at } = await settle(roll.url);
  const lowest = await lowestInService(since, startedNano, rollRunners, 10);
  console.log(
    `rolling update: 10 pods over 3 servers, max_batch_size 2, min_in_service 8: UPDATE_COMPLETE in ` +
      `${seconds(at - u0)}; pods in service never below ${lowest.lowest} (Docker events: ${lowest.deaths} ` +
      `app containers stopped, ${lowest.starts} started; target ≥ 8)`,
  );
} finally {
  stop.abort();
  for (const r of runners) {
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL.runner}=${r}`] } });
    await Promise.all(
      list.map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => {}),
      ),
    );
  }
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);

/** Waits for a deleted stack to be gone (or DELETE_COMPLETE). */
async function settleDeleted(url) {
  for (;;) {
    const r = await fetch(`${url}?resolve_outputs=false`, { headers: { accept: 'application/json' } });
    if (r.status === 404) return;
    const { stack } = await r.json();
    if (stack.stack_status === 'DELETE_COMPLETE') return;
    if (stack.stack_status === 'DELETE_FAILED')
      throw new Error(`delete failed: ${stack.stack_status_reason}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Waits until the runner has no container left. */
async function waitForNoContainers(runner) {
  for (let i = 0; i < 600; i++) {
    const list = await docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.runner}=${runner}`] },
    });
    if (list.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`containers of ${runner} still there`);
}

/**
 * The fewest pods in service during the update, from Docker's start/die events of the runners' app containers: a
 * pod is in service while all its app containers run (2 each); all `pods` were in service before.
 */
async function lowestInService(since, startedNano, rollRunners, pods) {
  const stream = await docker.getEvents({
    since,
    until: Math.ceil(Date.now() / 1000) + 1,
    filters: { type: ['container'], event: ['start', 'die'], label: [`${LABEL.role}=app`] },
  });
  const text = await new Promise((res) => {
    let acc = '';
    stream.on('data', (d) => (acc += d.toString()));
    stream.on('end', () => res(acc));
  });
  const events = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.timeNano >= startedNano && rollRunners.includes(e.Actor.Attributes[LABEL.runner]))
    .sort((a, b) => a.timeNano - b.timeNano);
  const runningByPod = new Map();
  const key = (e) => `${e.Actor.Attributes[LABEL.runner]}/${e.Actor.Attributes[LABEL.pod]}`;
  const inService = () => pods - [...runningByPod.values()].filter((n) => n < 2).length;
  let lowest = pods;
  for (const e of events) {
    runningByPod.set(key(e), (runningByPod.get(key(e)) ?? 2) + (e.Action === 'start' ? 1 : -1));
    lowest = Math.min(lowest, inService());
  }
  return {
    lowest,
    deaths: events.filter((e) => e.Action === 'die').length,
    starts: events.filter((e) => e.Action === 'start').length,
  };
}
