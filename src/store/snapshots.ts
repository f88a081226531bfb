/**
 * Snapshot persistence: conversions between {@link SnapshotRecord} and `snapshots` rows, and the queries the
 * store runs for them.
 */
import type { Kysely } from 'kysely';
import type { SnapshotRecord } from '../engine/store.js';
import type { Database, SnapshotsTable } from './schema.js';

type SnapshotPatch = Partial<Omit<SnapshotRecord, 'id' | 'stackId' | 'projectId'>>;

const COLUMNS: Record<keyof SnapshotPatch, keyof SnapshotsTable> = {
  name: 'name',
  status: 'status',
  statusReason: 'status_reason',
  data: 'data',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/** The full row of a snapshot. */
export function snapshotToRow(s: SnapshotRecord): SnapshotsTable {
  return {
    id: s.id,
    stack_id: s.stackId,
    project_id: s.projectId,
    name: s.name,
    status: s.status,
    status_reason: s.statusReason,
    data: s.data === null ? null : JSON.stringify(s.data),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

/** The columns a snapshot patch changes; an unknown field is an error, not a lost write. */
export function snapshotPatchToRow(patch: SnapshotPatch): Partial<SnapshotsTable> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const column = COLUMNS[key as keyof SnapshotPatch];
    if (column === undefined) throw new Error(`store: snapshot field '${key}' cannot be patched`);
    if (value === undefined) continue;
    row[column] = key === 'data' ? (value === null ? null : JSON.stringify(value)) : value;
  }
  return row as Partial<SnapshotsTable>;
}

/** A snapshot row back as a record. */
export function rowToSnapshot(row: SnapshotsTable): SnapshotRecord {
  return {
    id: row.id,
    stackId: row.stack_id,
    projectId: row.project_id,
    name: row.name,
    status: row.status as SnapshotRecord['status'],
    statusReason: row.status_reason,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Snapshot queries over a Kysely database. */
export class SnapshotQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(snapshot: SnapshotRecord): Promise<void> {
    await this.db.insertInto('snapshots').values(snapshotToRow(snapshot)).execute();
  }

  async update(id: string, patch: SnapshotPatch): Promise<void> {
    const row = snapshotPatchToRow(patch);
    if (Object.keys(row).length === 0) return;
    const result = await this.db.updateTable('snapshots').set(row).where('id', '=', id).executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new Error(`store: updateSnapshot: no snapshot with id ${id}`);
  }

  async get(id: string): Promise<SnapshotRecord | undefined> {
    const row = await this.db.selectFrom('snapshots').selectAll().where('id', '=', id).executeTakeFirst();
    return row && rowToSnapshot(row);
  }

  async list(stackId: string): Promise<SnapshotRecord[]> {
    const rows = await this.db
      .selectFrom('snapshots')
      .selectAll()
      .where('stack_id', '=', stackId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(rowToSnapshot);
  }

  async count(stackId: string): Promise<number> {
    const row = await this.db
      .selectFrom('snapshots')
      .select((eb) => eb.fn.countAll<number | bigint | string>().as('n'))
      .where('stack_id', '=', stackId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('snapshots').where('id', '=', id).execute();
  }

  async deleteOfStack(stackId: string): Promise<void> {
    await this.db.deleteFrom('snapshots').where('stack_id', '=', stackId).execute();
  }
}
