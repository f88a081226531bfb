/**
 * The registry of running Hearth processes (`hearth_processes`, migration 0007): each `hearth server`,
 * `hearth api` and `hearth engine` registers its role, version and task protocol and refreshes a heartbeat, so
 * that processes sharing a database can see each other — `GET /services`, and the version-skew and role checks
 * made at start ({@link checkCompatible}).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';

/** Roles of Hearth processes. */
export type ProcessRole = 'server' | 'api' | 'engine';

/** A registered process. */
export interface ProcessRecord {
  id: string;
  role: ProcessRole;
  version: string;
  protocol: number;
  host: string;
  pid: number;
  startedAt: number;
  heartbeatAt: number;
}

interface ProcessesTable {
  id: string;
  role: string;
  version: string;
  protocol: number;
  host: string;
  pid: number;
  started_at: number | string;
  heartbeat_at: number | string;
}

/** A process is live when its heartbeat is younger than this (ms). */
export const LIVE_WITHIN_MS = 30_000;
/** Heartbeat period (ms). */
const HEARTBEAT_MS = 5_000;

/** Why a process refuses to start next to the others. */
export class IncompatibleProcessError extends Error {}

/**
 * Checks that a process of `self` may share the database with the live `others`: the same task protocol (else
 * version skew), and no embedded `hearth server` next to split roles (it runs its own actions without tasks).
 */
export function checkCompatible(
  self: Omit<ProcessRecord, 'heartbeatAt' | 'startedAt'>,
  others: readonly ProcessRecord[],
): void {
  for (const o of others) {
    if (o.id === self.id) continue;
    const where = `${o.role} ${o.id.slice(0, 8)} (host ${o.host}, pid ${o.pid}, hearth ${o.version})`;
    if (o.protocol !== self.protocol) {
      throw new IncompatibleProcessError(
        `version skew: ${where} speaks task protocol ${o.protocol}; this hearth ${self.version} speaks protocol ` +
          `${self.protocol}. Stop or upgrade the other processes first (they share this database).`,
      );
    }
    if ((self.role === 'server') !== (o.role === 'server')) {
      throw new IncompatibleProcessError(
        `${where} uses this database; a 'hearth server' runs alone on its database, ` +
          `'hearth api' and 'hearth engine' only with each other.`,
      );
    }
  }
}

/** Registration of this process and reads of the others. */
export class ProcessRegistry {
  readonly #db: Kysely<{ hearth_processes: ProcessesTable }>;
  readonly self: ProcessRecord;
  #timer: NodeJS.Timeout | undefined;

  constructor(db: Kysely<any>, role: ProcessRole, version: string, protocol: number) {
    this.#db = db as Kysely<{ hearth_processes: ProcessesTable }>;
    const now = Date.now();
    this.self = {
      id: randomUUID(),
      role,
      version,
      protocol,
      host: hostname(),
      pid: process.pid,
      startedAt: now,
      heartbeatAt: now,
    };
  }

  /** Live processes (heartbeat younger than {@link LIVE_WITHIN_MS}), this one included once registered. */
  async live(): Promise<ProcessRecord[]> {
    const rows = await this.#db
      .selectFrom('hearth_processes')
      .selectAll()
      .where('heartbeat_at', '>=', Date.now() - LIVE_WITHIN_MS)
      .orderBy('started_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      role: r.role as ProcessRole,
      version: r.version,
      protocol: Number(r.protocol),
      host: r.host,
      pid: Number(r.pid),
      startedAt: Number(r.started_at),
      heartbeatAt: Number(r.heartbeat_at),
    }));
  }

  /** Checks compatibility with the live processes, registers, and keeps the heartbeat going. */
  async register(): Promise<void> {
    checkCompatible(this.self, await this.live());
    const s = this.self;
    await this.#db
      .insertInto('hearth_processes')
      .values({
        id: s.id,
        role: s.role,
        version: s.version,
        protocol: s.protocol,
        host: s.host,
        pid: s.pid,
        started_at: s.startedAt,
        heartbeat_at: Date.now(),
      })
      .execute();
    this.#timer = setInterval(() => void this.#beat(), HEARTBEAT_MS);
    this.#timer.unref();
  }

  async #beat(): Promise<void> {
    try {
      await this.#db
        .updateTable('hearth_processes')
        .set({ heartbeat_at: Date.now() })
        .where('id', '=', this.self.id)
        .execute();
      // Forget processes dead for long (keeps the table small).
      await this.#db
        .deleteFrom('hearth_processes')
        .where('heartbeat_at', '<', Date.now() - 10 * LIVE_WITHIN_MS)
        .execute();
    } catch {
      // The database is away: the next beat tries again.
    }
  }

  /** Stops the heartbeat and removes this process's row. */
  async deregister(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    try {
      await this.#db.deleteFrom('hearth_processes').where('id', '=', this.self.id).execute();
    } catch {
      // Gone with the database: it ages out.
    }
  }
}
