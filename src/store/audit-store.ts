/**
 * {@link AuditLog} over the same Kysely database as the {@link SqlStore} (table of migration 0004). Each project
 * keeps its newest `retention` records: older ones are dropped as new ones arrive.
 */
import type { Generated, Kysely } from 'kysely';
import type { AuditLog, AuditQuery, AuditRecord, AuditResult } from '../api/audit.js';
import type { Database } from './schema.js';

/** Row of `audit_records`. */
export type AuditRecordsTable = {
  /** Store-assigned, strictly increasing: the order of the records. */
  seq: Generated<number>;
  id: string;
  time: string;
  project_id: string;
  user_id: string;
  user_name: string;
  method: string;
  route: string;
  action: string | null;
  target: string | null;
  status: number;
  result: string;
  request_id: string;
};

/** The tables this store reads and writes. */
type AuditTables = { audit_records: AuditRecordsTable };

/** Heat-like default: the newest 10000 records per project. */
export const DEFAULT_AUDIT_RETENTION = 10_000;

/** Options of {@link SqlAuditLog}. */
export interface AuditLogOptions {
  /** Records kept per project (≥ 1); default {@link DEFAULT_AUDIT_RETENTION}. */
  readonly retention?: number;
}

function toRow(r: AuditRecord): Omit<AuditRecordsTable, 'seq'> {
  return {
    id: r.id,
    time: r.time,
    project_id: r.projectId,
    user_id: r.userId,
    user_name: r.userName,
    method: r.method,
    route: r.route,
    action: r.action,
    target: r.target,
    status: r.status,
    result: r.result,
    request_id: r.requestId,
  };
}

function fromRow(row: Omit<AuditRecordsTable, 'seq'>): AuditRecord {
  return {
    id: row.id,
    time: row.time,
    projectId: row.project_id,
    userId: row.user_id,
    userName: row.user_name,
    method: row.method,
    route: row.route,
    action: row.action,
    target: row.target,
    status: Number(row.status),
    result: row.result as AuditResult,
    requestId: row.request_id,
  };
}

/** The SQL audit log. */
export class SqlAuditLog implements AuditLog {
  readonly #db: Kysely<AuditTables>;
  readonly retention: number;

  /** @param db the store's open, migrated database (e.g. `SqlStore.db`); not closed by this class. */
  constructor(db: Kysely<Database>, options: AuditLogOptions = {}) {
    const retention = options.retention ?? DEFAULT_AUDIT_RETENTION;
    if (!Number.isInteger(retention) || retention < 1) {
      throw new Error(`audit retention must be an integer >= 1, got ${retention}`);
    }
    this.retention = retention;
    this.#db = db.withTables<AuditTables>() as unknown as Kysely<AuditTables>;
  }

  async append(record: AuditRecord): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx.insertInto('audit_records').values(toRow(record)).execute();
      // The newest record beyond the retention, if any: it and everything older go (two portable statements:
      // MariaDB refuses LIMIT inside an IN subquery).
      const oldestDropped = await tx
        .selectFrom('audit_records')
        .select('seq')
        .where('project_id', '=', record.projectId)
        .orderBy('seq', 'desc')
        .limit(1)
        .offset(this.retention)
        .executeTakeFirst();
      if (oldestDropped === undefined) return;
      await tx
        .deleteFrom('audit_records')
        .where('project_id', '=', record.projectId)
        .where('seq', '<=', oldestDropped.seq)
        .execute();
    });
  }

  async find(projectId: string, id: string): Promise<AuditRecord | undefined> {
    const row = await this.#db
      .selectFrom('audit_records')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(projectId: string, query: AuditQuery): Promise<AuditRecord[]> {
    let select = this.#db.selectFrom('audit_records').selectAll().where('project_id', '=', projectId);
    if (query.marker !== undefined) {
      const marker = await this.#db
        .selectFrom('audit_records')
        .select('seq')
        .where('project_id', '=', projectId)
        .where('id', '=', query.marker)
        .executeTakeFirst();
      if (marker === undefined) return [];
      select = select.where('seq', '<', marker.seq);
    }
    if (query.since !== undefined) select = select.where('time', '>=', query.since);
    if (query.actions !== undefined) {
      if (query.actions.length === 0) return [];
      select = select.where('action', 'in', [...query.actions]);
    }
    if (query.results !== undefined) {
      if (query.results.length === 0) return [];
      select = select.where('result', 'in', [...query.results]);
    }
    select = select.orderBy('seq', 'desc');
    if (query.limit !== undefined) select = select.limit(query.limit);
    return (await select.execute()).map(fromRow);
  }
}
