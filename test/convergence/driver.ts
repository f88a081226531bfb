/**
 * The crash rounds: each round runs one action on the ~200-resource stack (create, update, rollback of a
 * failing update, delete), SIGKILLs the server at a seeded random moment during it (sometimes a second time
 * while it resumes), starts it again on the same data directory, waits (bounded) for a terminal state and checks
 * every invariant of {@link checkLiveStack} / {@link checkDeleted} plus physical-id stability.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { api, startHearth, type HearthProcess } from '../helpers/hearth.js';
import {
  checkDeleted,
  checkLiveStack,
  checkStability,
  type ExpectedChanges,
  type Snapshot,
  type StackRef,
} from './checks.js';
import {
  classifyChanges,
  cloneModel,
  estimatedCreateMs,
  initialModel,
  mutate,
  renderTemplate,
  replacedMembers,
  resourceCount,
  type Mutation,
  type StackModel,
} from './model.js';
import { Prng } from './prng.js';

/** The action a round performs. */
export type RoundOp = 'create' | 'update' | 'rollback' | 'delete';

/** Options of {@link runCrashRounds}. */
export interface CrashOptions {
  readonly rounds: number;
  readonly seed: number;
  /** Bound on the wait for a terminal state after the last restart. */
  readonly convergeTimeoutMs?: number;
  /** Probability of a second kill while the action resumes. */
  readonly doubleKillChance?: number;
  /** No kills at all (calibration: how long each action takes). */
  readonly noKill?: boolean;
  /** Where rollback rounds put the failing resource (default: seeded choice per round). */
  readonly failure?: 'early' | 'late' | 'mixed';
  /** Which actions the stack's life goes through (default all; create and delete always happen). */
  readonly ops?: readonly RoundOp[];
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** What one round did and found. */
export interface RoundResult {
  readonly round: number;
  readonly op: RoundOp;
  readonly stackName: string;
  readonly resources: number;
  readonly killDelaysMs: number[];
  /** The stored stack status just before each kill (IN_PROGRESS: the kill interrupted the action). */
  readonly statusAtKill: string[];
  /** How many times the engine resumed the action after a restart ("Resuming … after engine restart" events). */
  readonly resumed: number;
  /** Time from the last restart's readiness to the terminal state. */
  readonly convergeMs: number;
  /** Time from the first request to the terminal state. */
  readonly totalMs: number;
  /** Time to start the server again (spawn → answering), per restart. */
  readonly restartMs: number[];
  readonly finalStatus: string;
  /** Rollback rounds: replaced resources whose original physical id came back / did not. */
  readonly rollbackRestored?: { restored: number; notRestored: number };
  readonly problems: string[];
}

/** The schedule of a stack's life: create, then update/update/rollback in seeded order, then delete. */
function lifecycle(rng: Prng, ops: readonly RoundOp[]): RoundOp[] {
  const middle = (['update', 'update', 'rollback'] as RoundOp[]).filter((op) => ops.includes(op));
  return ['create', ...rng.sample(middle, middle.length), 'delete'];
}

/** First guess of an action's duration (ms), for drawing the kill moment; refined as rounds go. */
function estimateMs(op: RoundOp, model: StackModel): number {
  const create = estimatedCreateMs(model);
  if (op === 'create') return create;
  if (op === 'delete') return resourceCount(model) * 4 + 200;
  return create * 0.8;
}

/** The stored status of a stack, read straight from the database (no server round trip). */
function storedStatus(dataDir: string, stackId: string): string {
  const db = new Database(join(dataDir, 'hearth.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT action, status FROM stacks WHERE id = ?').get(stackId) as
      { action: string; status: string } | undefined;
    return row ? `${row.action}_${row.status}` : 'NOT_FOUND';
  } finally {
    db.close();
  }
}

function resumeEvents(dataDir: string, stackId: string): number {
  const db = new Database(join(dataDir, 'hearth.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        "SELECT count(*) AS n FROM events WHERE stack_id = ? AND reason LIKE 'Resuming % after engine restart'",
      )
      .get(stackId) as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

async function terminal(endpoint: string, name: string, id: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api('GET', `${endpoint}/stacks/${name}/${id}?resolve_outputs=false`);
    if (r.status === 404) return 'NOT_FOUND';
    const status = String(r.body?.stack?.stack_status ?? `HTTP_${r.status}`);
    if (!status.endsWith('IN_PROGRESS')) return status;
    if (Date.now() > deadline) return `STUCK_${status}`;
    await new Promise((res) => setTimeout(res, 40));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the rounds; the server is left stopped. */
export async function runCrashRounds(options: CrashOptions): Promise<RoundResult[]> {
  const rng = new Prng(options.seed);
  const log = options.log ?? (() => undefined);
  const convergeTimeoutMs = options.convergeTimeoutMs ?? 90_000;
  const doubleKill = options.doubleKillChance ?? 0.25;
  let server: HearthProcess = await startHearth();
  const results: RoundResult[] = [];
  const everSeen = new Set<string>();
  let schedule: RoundOp[] = [];
  let model: StackModel | null = null;
  let ref: StackRef | null = null;
  let snapshot: Snapshot | null = null;
  let generation = 0;
  const estimates = new Map<RoundOp, number>();
  try {
    for (let round = 1; round <= options.rounds; round++) {
      if (schedule.length === 0)
        schedule = lifecycle(rng, options.ops ?? ['create', 'update', 'rollback', 'delete']);
      const op = schedule.shift()!;
      const endpoint = server.endpoint('crash');
      let next: StackModel | null = null;
      let mutation: Mutation | null = null;
      let request: Promise<{ status: number; body: any }>;
      if (op === 'create') {
        next = initialModel(rng);
        const name = `crash${++generation}`;
        request = api('POST', `${endpoint}/stacks`, {
          stack_name: name,
          template: renderTemplate(next),
          disable_rollback: true,
          timeout_mins: 30,
        });
        ref = { endpoint, name, id: '', dataDir: server.dataDir };
      } else {
        if (!model || !ref) throw new Error('no stack');
        if (op === 'delete') request = api('DELETE', `${endpoint}/stacks/${ref.name}/${ref.id}`);
        else {
          next = cloneModel(model);
          const placement = options.failure ?? 'mixed';
          const failing = placement === 'mixed' ? (rng.chance(0.5) ? 'early' : 'late') : placement;
          mutation = mutate(next, rng, op === 'rollback' ? { failing } : {});
          request = api('PUT', `${endpoint}/stacks/${ref.name}/${ref.id}`, {
            template: renderTemplate(next),
            disable_rollback: op !== 'rollback',
          });
        }
      }
      const started = Date.now();
      const answer = await request;
      const okStatus = op === 'create' ? 201 : op === 'delete' ? 204 : 202;
      if (answer.status !== okStatus) {
        throw new Error(
          `round ${round} ${op}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`,
        );
      }
      if (op === 'create') ref = { ...ref!, id: answer.body.stack.id as string };
      const stackRef = ref!;
      const resumedBefore = resumeEvents(server.dataDir, stackRef.id);

      const killDelaysMs: number[] = [];
      const statusAtKill: string[] = [];
      const restartMs: number[] = [];
      const estimate = estimates.get(op) ?? estimateMs(op, next ?? model!);
      const kills = options.noKill ? 0 : rng.chance(doubleKill) ? 2 : 1;
      for (let k = 0; k < kills; k++) {
        const delay = Math.round(rng.float(0, k === 0 ? 1 : 0.6) * estimate);
        killDelaysMs.push(delay);
        await sleep(delay);
        statusAtKill.push(storedStatus(server.dataDir, stackRef.id));
        await server.stop('SIGKILL');
        const t = Date.now();
        server = await startHearth({ dataDir: server.dataDir, port: server.port });
        restartMs.push(Date.now() - t);
      }
      const ready = Date.now();
      const finalStatus = await terminal(
        server.endpoint('crash'),
        stackRef.name,
        stackRef.id,
        convergeTimeoutMs,
      );
      const done = Date.now();
      const resumed = resumeEvents(server.dataDir, stackRef.id) - resumedBefore;
      // Refine the duration guess so kills keep landing inside the action: an action found finished took less
      // than the delay; one found running took more.
      if (killDelaysMs.length > 0) {
        const first = killDelaysMs[0]!;
        const running = statusAtKill[0]!.endsWith('IN_PROGRESS');
        estimates.set(
          op,
          running ? Math.max(estimate, first * 1.1) : Math.max(100, Math.min(estimate, first) * 0.85),
        );
      }

      const expectedStatus = {
        create: 'CREATE_COMPLETE',
        update: 'UPDATE_COMPLETE',
        rollback: 'ROLLBACK_COMPLETE',
        delete: 'NOT_FOUND',
      }[op];
      const problems: string[] = [];
      if (finalStatus !== expectedStatus && !(op === 'delete' && finalStatus === 'DELETE_COMPLETE')) {
        const shown = await api(
          'GET',
          `${server.endpoint('crash')}/stacks/${stackRef.name}/${stackRef.id}?resolve_outputs=false`,
        );
        problems.push(
          `stack is ${finalStatus}, expected ${expectedStatus}: ${shown.body?.stack?.stack_status_reason ?? ''}`,
        );
      }
      let rollbackRestored: RoundResult['rollbackRestored'];
      if (op === 'delete') {
        problems.push(...(await checkDeleted(stackRef, snapshot)));
        model = null;
        snapshot = null;
      } else {
        const settled: StackModel = op === 'rollback' ? model! : next!;
        const checked = await checkLiveStack(stackRef, settled);
        problems.push(...checked.problems);
        if (snapshot) {
          const none = (): { top: Set<string>; members: Set<string> } => ({
            top: new Set(),
            members: new Set(),
          });
          const expected: ExpectedChanges = { must: none(), may: none() };
          if (op === 'update') {
            for (const n of [...mutation!.replaced, ...mutation!.added]) expected.must.top.add(n);
            for (const n of replacedMembers(model!, next!)) expected.must.members.add(n);
          } else if (op === 'rollback') {
            // Replaced on the way (if the update got there) or on the way back (the old definition asks for it).
            const back = classifyChanges(next!, model!);
            for (const n of [...mutation!.replaced, ...back.replaced]) expected.may.top.add(n);
            for (const n of [...replacedMembers(model!, next!), ...replacedMembers(next!, model!)])
              expected.may.members.add(n);
            // What the failed update removed (resources, members beyond a smaller count) comes back as new.
            for (const n of mutation!.removed) expected.may.top.add(n);
            for (let i = next!.group.count; i < model!.group.count; i++) expected.may.members.add(String(i));
            let restored = 0;
            let notRestored = 0;
            for (const name of mutation!.replaced) {
              if (checked.snapshot.top.get(name) === snapshot.top.get(name)) restored++;
              else notRestored++;
            }
            rollbackRestored = { restored, notRestored };
          }
          problems.push(...checkStability(snapshot, checked.snapshot, expected, everSeen));
        }
        for (const id of [...checked.snapshot.top.values(), ...checked.snapshot.members.values()])
          everSeen.add(id);
        model = settled;
        snapshot = checked.snapshot;
      }
      const result: RoundResult = {
        round,
        op,
        stackName: stackRef.name,
        resources: next ? resourceCount(next) : model ? resourceCount(model) : 0,
        killDelaysMs,
        statusAtKill,
        resumed,
        convergeMs: done - ready,
        totalMs: done - started,
        restartMs,
        finalStatus,
        ...(rollbackRestored ? { rollbackRestored } : {}),
        problems,
      };
      results.push(result);
      const what = mutation
        ? ` [~${mutation.inPlace.length} ±${mutation.replaced.length} +${mutation.added.length} -${mutation.removed.length} grp${mutation.groupResize >= 0 ? '+' : ''}${mutation.groupResize}/${mutation.groupChange}${mutation.failing ? ` fail:${mutation.failing}(${next?.resources.get(mutation.failing)?.afterAll ? 'late' : 'early'})` : ''}]`
        : '';
      log(
        `round ${round} ${op}${what} ${stackRef.name}: kill@${killDelaysMs.map((d, i) => `${d}ms(${statusAtKill[i]})`).join('+') || '-'} resumed=${resumed} → ${finalStatus} in ${done - ready}ms after restart${problems.length ? `; ${problems.length} PROBLEMS:\n  ${problems.slice(0, 12).join('\n  ')}` : ''}`,
      );
      if (finalStatus.startsWith('STUCK_') || problems.length > 0) {
        // Later rounds would only pile up consequences of the first broken state.
        break;
      }
    }
  } finally {
    await server.stop('SIGKILL');
    // Keep the data directory of a failed run for a post-mortem; drop it otherwise.
    if (results.every((r) => r.problems.length === 0) && results.length === options.rounds)
      rmSync(server.dataDir, { recursive: true, force: true });
    else log(`data directory kept: ${server.dataDir}`);
  }
  return results;
}

/** p-th percentile (nearest rank) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The figures of a run. */
export function figuresOf(results: readonly RoundResult[], seed: number): Record<string, unknown> {
  const converge = results.map((r) => r.convergeMs);
  const restarts = results.flatMap((r) => r.restartMs);
  const byOp: Record<string, unknown> = {};
  for (const op of ['create', 'update', 'rollback', 'delete'] as const) {
    const mine = results.filter((r) => r.op === op);
    if (mine.length === 0) continue;
    const c = mine.map((r) => r.convergeMs);
    byOp[op] = { rounds: mine.length, p50: percentile(c, 50), p95: percentile(c, 95), max: Math.max(...c) };
  }
  const rb = results.flatMap((r) => (r.rollbackRestored ? [r.rollbackRestored] : []));
  return {
    seed,
    rounds: results.length,
    kills: results.reduce((n, r) => n + r.killDelaysMs.length, 0),
    killsDuringAction: results.reduce(
      (n, r) => n + r.statusAtKill.filter((s) => s.endsWith('IN_PROGRESS')).length,
      0,
    ),
    resumedActions: results.reduce((n, r) => n + r.resumed, 0),
    convergeAfterRestartMs: {
      p50: percentile(converge, 50),
      p95: percentile(converge, 95),
      max: Math.max(...converge),
    },
    restartMs: { p50: percentile(restarts, 50), p95: percentile(restarts, 95), max: Math.max(...restarts) },
    byOp,
    rollbackReplacedRestored: rb.reduce((n, x) => n + x.restored, 0),
    rollbackReplacedNotRestored: rb.reduce((n, x) => n + x.notRestored, 0),
    roundsWithProblems: results.filter((r) => r.problems.length > 0).length,
  };
}
