/**
 * Runs a hook as a process detached from the agent: a small `sh` wrapper feeds it its stdin from a file, sends
 * its stdout and stderr to files and writes its exit status to a file when it ends. The hook thus survives the
 * agent (a SIGKILL, a restart, an upgrade), and an agent started again collects its result from the files
 * instead of running it a second time.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import type { AgentState, RunRecord } from './state.js';

/** What to run. */
export interface HookCommand {
  /** The executable (a hook, or a script written by the script hook). */
  readonly file: string;
  /** Its environment (the agent's, plus e.g. the script's inputs). */
  readonly env: NodeJS.ProcessEnv;
  /** The file its stdin is read from. */
  readonly stdinFile: string;
  /** Its working directory. */
  readonly cwd: string;
  readonly kind: RunRecord['kind'];
}

/** How a hook ended. */
export interface HookResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Its exit status (128 + N when killed by signal N); null when it vanished without one (host rebooted). */
  readonly statusCode: number | null;
}

/** A hook started (or found running after a restart). */
export interface RunningHook {
  /** Its result, once it has ended. */
  readonly done: Promise<HookResult>;
}

const WRAPPER =
  '__hearth_rc=$4; exec 3<"$1" 4>"$2" 5>"$3"; shift 4; "$@" <&3 >&4 2>&5 3<&- 4>&- 5>&-; ' +
  'echo $? >"$__hearth_rc.tmp"; mv -f "$__hearth_rc.tmp" "$__hearth_rc"';

/** How often a running hook's files are looked at (its end is seen at once through the wrapper's exit). */
const POLL_MS = 250;

/** The start time (clock ticks since boot) of a process, from `/proc`; null where unknown. */
function startTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** Whether the process of a run record is still that process. */
function stillRunning(record: RunRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  return record.startTicks === null || startTicks(record.pid) === record.startTicks;
}

/** Reads a file's new bytes from `offset` and hands complete lines to `onLine`; returns the new offset. */
function tail(
  path: string,
  offset: number,
  partial: { text: string },
  onLine: (line: string) => void,
): number {
  if (!existsSync(path)) return offset;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, offset);
      if (n <= 0) break;
      offset += n;
      const text = partial.text + buf.subarray(0, n).toString('utf8');
      const lines = text.split('\n');
      partial.text = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    }
  } finally {
    closeSync(fd);
  }
  return offset;
}

/** The result files of a finished (or vanished) hook. */
function collect(state: AgentState, id: string): HookResult {
  const read = (ext: 'out' | 'err') =>
    existsSync(state.runPath(id, ext)) ? readFileSync(state.runPath(id, ext), 'utf8') : '';
  const rcPath = state.runPath(id, 'rc');
  const rc = existsSync(rcPath) ? Number.parseInt(readFileSync(rcPath, 'utf8').trim(), 10) : NaN;
  return { stdout: read('out'), stderr: read('err'), statusCode: Number.isNaN(rc) ? null : rc };
}

/**
 * Watches a hook's files until its status file appears (or its process is gone), passing each new stdout line
 * to `onLine`. `fromEnd` skips the output written so far (after a restart it was reported already). `exited`
 * (the wrapper's exit, when this process started it) ends the wait at once instead of at the next look.
 */
function watch(
  state: AgentState,
  id: string,
  record: RunRecord,
  onLine: (line: string) => void,
  fromEnd: boolean,
  exited?: Promise<void>,
): Promise<HookResult> {
  const outPath = state.runPath(id, 'out');
  let offset = fromEnd && existsSync(outPath) ? readFileSync(outPath).length : 0;
  const partial = { text: '' };
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const step = () => {
      if (finished) return;
      clearTimeout(timer);
      offset = tail(outPath, offset, partial, onLine);
      const ended = existsSync(state.runPath(id, 'rc')) || !stillRunning(record);
      if (!ended) return void (timer = setTimeout(step, POLL_MS));
      finished = true;
      offset = tail(outPath, offset, partial, onLine);
      if (partial.text) onLine(partial.text);
      resolve(collect(state, id));
    };
    void exited?.then(step);
    step();
  });
}

/** Starts a hook detached; `onLine` gets its stdout lines as they come. */
export function startHook(
  state: AgentState,
  id: string,
  command: HookCommand,
  onLine: (line: string) => void,
): RunningHook {
  for (const ext of ['out', 'err'] as const) writeFileSync(state.runPath(id, ext), '', { mode: 0o600 });
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      WRAPPER,
      'hearth-hook',
      command.stdinFile,
      state.runPath(id, 'out'),
      state.runPath(id, 'err'),
      state.runPath(id, 'rc'),
      command.file,
    ],
    { cwd: command.cwd, env: command.env, detached: true, stdio: 'ignore' },
  );
  const pid = child.pid;
  if (pid === undefined) {
    return {
      done: Promise.resolve({
        stdout: '',
        stderr: 'could not start /bin/sh to run the hook',
        statusCode: 127,
      }),
    };
  }
  const record: RunRecord = { pid, startTicks: startTicks(pid), kind: command.kind };
  state.writeRun(id, record);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.unref();
  // The status file (or the process gone) says when it ended: the same check as after a restart.
  return { done: watch(state, id, record, onLine, false, exited) };
}

/**
 * The hook of a deployment started by an earlier agent process, if there was one: watched until it ends (its
 * output so far is not reported again).
 */
export function resumeHook(
  state: AgentState,
  id: string,
  onLine: (line: string) => void,
): { record: RunRecord; running: RunningHook } | undefined {
  const record = state.readRun(id);
  if (!record) return undefined;
  return { record, running: { done: watch(state, id, record, onLine, true) } };
}
