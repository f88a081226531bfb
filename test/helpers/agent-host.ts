/**
 * Test support for `hearth agent`: a "host" (a state directory, a config file holding an `os_collect_config`,
 * a hooks directory) and its agent as a real `hearth agent` process that can be killed and started again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './hearth.js';

/** A host: its server id, directory, config file and (restartable) agent process. */
export interface AgentHost {
  readonly serverId: string;
  readonly dir: string;
  readonly configFile: string;
  readonly hooksDir: string;
  agent?: ChildProcess;
  /** The agent's output so far (all its runs). */
  log: string;
}

/** Every agent process started by {@link startAgent} (for {@link killAllAgents}). */
const started: ChildProcess[] = [];

/** A host whose config file holds `osCollectConfig` (the DeployedServer's `os_collect_config`). */
export function newHostFromConfig(osCollectConfig: {
  hearth: { server_id: string; [key: string]: unknown };
}): AgentHost {
  const serverId = osCollectConfig.hearth.server_id;
  const dir = mkdtempSync(join(tmpdir(), `hearth-agent-${serverId.slice(0, 12)}-`));
  const configFile = join(dir, 'os_collect_config.json');
  writeFileSync(configFile, JSON.stringify(osCollectConfig), { mode: 0o600 });
  const hooksDir = join(dir, 'hooks');
  mkdirSync(hooksDir);
  return { serverId, dir, configFile, hooksDir, log: '' };
}

/** A host of server `serverId` talking to `endpoint` with `token`. */
export function newHost(endpoint: string, serverId: string, token = 'unused-under-noauth'): AgentHost {
  return newHostFromConfig({
    collectors: ['hearth'],
    hearth: { endpoint, server_id: serverId, token, polling_interval: 30 },
  } as { hearth: { server_id: string } });
}

/** Installs an executable custom hook `name` with `body` (a shell script) in the host's hooks directory. */
export function installHook(host: AgentHost, name: string, body: string): void {
  const path = join(host.hooksDir, name);
  writeFileSync(path, body);
  chmodSync(path, 0o755);
}

/** Starts `hearth agent` for the host. */
export function startAgent(host: AgentHost): void {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'agent',
      '--config',
      host.configFile,
      '--state-dir',
      join(host.dir, 'state'),
      '--hooks-dir',
      host.hooksDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (host.log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (host.log += d.toString()));
  host.agent = child;
  started.push(child);
}

/** Stops the host's agent (SIGKILL by default) and waits for it to exit. */
export async function killAgent(host: AgentHost, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const child = host.agent;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  await exited;
}

/** SIGKILLs every agent process still running. */
export function killAllAgents(): void {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
