/**
 * The first process of a container server: applies the boot-time configuration once (the marker is written before
 * anything runs, so a restart never applies it twice), then runs `hearth agent` when the server has an agent
 * configuration (user_data_format SOFTWARE_CONFIG), else idles. Run as
 * `node /opt/hearth/dist/runtime/servers/boot.js`; only node built-ins and `yaml` are needed (the golden image).
 * Every step is logged as a line on stdout (`docker logs`) and in {@link BOOT_PATHS.log}.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bootPlan, type BootPlan } from './boot-config.js';

/** Where the boot configuration and its results live in the container. */
export const BOOT_PATHS = {
  userData: '/etc/hearth/boot/user_data',
  agentConfig: '/etc/hearth/agent.json',
  stateDir: '/var/lib/hearth/boot',
  marker: '/var/lib/hearth/boot/applied',
  log: '/var/log/hearth-boot.log',
  agentStateDir: '/var/lib/hearth-agent',
  hearth: '/usr/local/bin/hearth',
} as const;

function log(line: string): void {
  const text = `hearth-boot: ${line}\n`;
  process.stdout.write(text);
  try {
    appendFileSync(BOOT_PATHS.log, text);
  } catch {
    // the log file is a copy; stdout is the record
  }
}

function run(label: string, command: string, args: readonly string[]): void {
  const result = spawnSync(command, [...args], { encoding: 'utf8', timeout: 10 * 60 * 1000 });
  for (const line of `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').filter(Boolean))
    log(`${label}: ${line}`);
  const status = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
  log(`${label}: ${status}`);
}

/** Applies `plan` (files, users, runcmd, scripts — cloud-init's order). */
export function applyBootPlan(plan: BootPlan): void {
  for (const problem of plan.unsupported) log(`not applied: ${problem}`);
  for (const file of plan.files) {
    try {
      mkdirSync(dirname(file.path), { recursive: true });
      if (file.append) appendFileSync(file.path, file.content);
      else writeFileSync(file.path, file.content);
      chmodSync(file.path, parseInt(file.permissions, 8));
      log(`wrote ${file.path}`);
    } catch (err) {
      log(`write_files ${file.path}: ${(err as Error).message}`);
    }
  }
  for (const user of plan.users) {
    run(`users ${user.name}`, 'adduser', ['-D', '-s', '/bin/sh', user.name]);
    if (user.sshAuthorizedKeys.length > 0) {
      const ssh = `/home/${user.name}/.ssh`;
      mkdirSync(ssh, { recursive: true, mode: 0o700 });
      writeFileSync(join(ssh, 'authorized_keys'), `${user.sshAuthorizedKeys.join('\n')}\n`, { mode: 0o600 });
    }
  }
  for (const [i, cmd] of plan.commands.entries()) {
    if (typeof cmd === 'string') run(`runcmd[${i}]`, '/bin/sh', ['-c', cmd]);
    else run(`runcmd[${i}]`, cmd[0] ?? 'true', cmd.slice(1));
  }
  for (const [i, script] of plan.scripts.entries()) {
    const path = join(BOOT_PATHS.stateDir, `part-${i}`);
    writeFileSync(path, script, { mode: 0o700 });
    run(`script ${i}`, path, []);
  }
}

/** Applies the boot configuration unless it was applied before. */
export function applyOnce(): void {
  if (existsSync(BOOT_PATHS.marker)) {
    log('boot configuration already applied');
    return;
  }
  mkdirSync(BOOT_PATHS.stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(BOOT_PATHS.marker, new Date().toISOString());
  const userData = existsSync(BOOT_PATHS.userData) ? readFileSync(BOOT_PATHS.userData, 'utf8') : '';
  applyBootPlan(bootPlan(userData));
  log('boot configuration applied');
}

function main(): void {
  applyOnce();
  if (!existsSync(BOOT_PATHS.agentConfig)) {
    log('no agent configuration: idle');
    const idle = setInterval(() => undefined, 1 << 30);
    const stop = (): void => clearInterval(idle);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  const agent = spawn(
    BOOT_PATHS.hearth,
    ['agent', '--config', BOOT_PATHS.agentConfig, '--state-dir', BOOT_PATHS.agentStateDir],
    { stdio: 'inherit' },
  );
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => agent.kill(sig));
  agent.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1]?.endsWith('/runtime/servers/boot.js')) main();
