/** Runs one probe (exec in the container, HTTP GET or TCP connect to the pod's address) with its timeout. */
import { connect } from 'node:net';
import type Docker from 'dockerode';
import type { ContainerSpec, Probe } from './spec.js';

/** A probe's outcome. */
export interface ProbeResult {
  ok: boolean;
  /** Why it failed. */
  message?: string;
}

/** Probes `container` (a running Docker container) of a pod whose address is `podIp`. */
export async function runProbe(
  docker: Docker,
  containerId: string,
  spec: ContainerSpec,
  probe: Probe,
  podIp: string | undefined,
): Promise<ProbeResult> {
  const timeoutMs = probe.timeoutSeconds * 1000;
  try {
    if (probe.kind === 'exec') return await execProbe(docker, containerId, probe.command, timeoutMs);
    if (!podIp) return { ok: false, message: 'the pod has no address' };
    const port = probePort(spec, probe.port);
    if (port === undefined) return { ok: false, message: `no container port named ${probe.port}` };
    if (probe.kind === 'tcp') return await tcpProbe(podIp, port, timeoutMs);
    const url = `${probe.scheme}://${podIp}:${port}${probe.path}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 400
      ? { ok: true }
      : { ok: false, message: `HTTP probe ${probe.path} answered ${res.status}` };
  } catch (err) {
    return {
      ok: false,
      message: `${probe.kind} probe failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

function probePort(spec: ContainerSpec, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  return spec.ports.find((p) => p.name === port)?.containerPort;
}

async function execProbe(
  docker: Docker,
  containerId: string,
  command: string[],
  timeoutMs: number,
): Promise<ProbeResult> {
  const exec = await docker
    .getContainer(containerId)
    .exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => {
      stream.destroy();
      fail(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on('end', () => (clearTimeout(timer), done()));
    stream.on('close', () => (clearTimeout(timer), done()));
    stream.on('error', (e) => (clearTimeout(timer), fail(e)));
    stream.resume();
  });
  const { ExitCode } = await exec.inspect();
  return ExitCode === 0
    ? { ok: true }
    : { ok: false, message: `exec probe ${JSON.stringify(command)} exited with ${ExitCode}` };
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => (socket.destroy(), done({ ok: true })));
    socket.once(
      'timeout',
      () => (socket.destroy(), done({ ok: false, message: `tcp probe ${port} timed out` })),
    );
    socket.once('error', (e) => done({ ok: false, message: `tcp probe ${port}: ${e.message}` }));
  });
}
