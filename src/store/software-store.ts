/**
 * {@link SoftwareStore} over the Hearth schema: `software_configs` and `software_deployments` rows, JSON values as
 * TEXT (see `schema.ts`), every read scoped by project.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type {
  SoftwareConfigRecord,
  SoftwareDeploymentPatch,
  SoftwareDeploymentRecord,
} from '../engine/software/records.js';
import type {
  ConfigDeleteOutcome,
  SoftwareConfigListQuery,
  SoftwareDeploymentListQuery,
  SoftwareStore,
} from '../engine/software/store.js';
import type { Database, SoftwareConfigsTable, SoftwareDeploymentsTable } from './schema.js';

type DeploymentsBuilder = ExpressionBuilder<Database, 'software_deployments'>;

/** The row of a config. */
export function configToRow(c: SoftwareConfigRecord): SoftwareConfigsTable {
  return {
    id: c.id,
    project_id: c.projectId,
    name: c.name,
    group_name: c.group,
    config: JSON.stringify(c.config),
    inputs: JSON.stringify(c.inputs),
    outputs: JSON.stringify(c.outputs),
    options: c.options === null ? null : JSON.stringify(c.options),
    created_at: c.createdAt,
  };
}

/** A config row back as a record. */
export function rowToConfig(row: SoftwareConfigsTable): SoftwareConfigRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    group: row.group_name,
    config: JSON.parse(row.config) as SoftwareConfigRecord['config'],
    inputs: JSON.parse(row.inputs) as SoftwareConfigRecord['inputs'],
    outputs: JSON.parse(row.outputs) as SoftwareConfigRecord['outputs'],
    options: parseMap(row.options),
    createdAt: row.created_at,
  };
}

/** The row of a deployment. */
export function deploymentToRow(d: SoftwareDeploymentRecord): SoftwareDeploymentsTable {
  return {
    id: d.id,
    project_id: d.projectId,
    config_id: d.configId,
    server_id: d.serverId,
    input_values: encodeMap(d.inputValues),
    output_values: encodeMap(d.outputValues),
    action: d.action,
    status: d.status,
    status_reason: d.statusReason,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    stack_user_project_id: d.stackUserProjectId,
  };
}

/** A deployment row back as a record. */
export function rowToDeployment(row: SoftwareDeploymentsTable): SoftwareDeploymentRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    configId: row.config_id,
    serverId: row.server_id,
    inputValues: parseMap(row.input_values),
    outputValues: parseMap(row.output_values),
    action: row.action,
    status: row.status as SoftwareDeploymentRecord['status'],
    statusReason: row.status_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stackUserProjectId: row.stack_user_project_id,
  };
}

const PATCH_COLUMNS: Record<keyof SoftwareDeploymentPatch, keyof SoftwareDeploymentsTable> = {
  configId: 'config_id',
  inputValues: 'input_values',
  outputValues: 'output_values',
  action: 'action',
  status: 'status',
  statusReason: 'status_reason',
  updatedAt: 'updated_at',
};

/** The columns a deployment patch changes; an unknown field is an error, not a lost write. */
export function deploymentPatchToRow(patch: SoftwareDeploymentPatch): Partial<SoftwareDeploymentsTable> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const column = PATCH_COLUMNS[key as keyof SoftwareDeploymentPatch];
    if (column === undefined) throw new Error(`store: deployment field '${key}' cannot be patched`);
    if (value === undefined) continue;
    row[column] =
      key === 'inputValues' || key === 'outputValues'
        ? encodeMap(value as Record<string, unknown> | null)
        : value;
  }
  return row as Partial<SoftwareDeploymentsTable>;
}

function encodeMap(value: Record<string, unknown> | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

function parseMap(text: string | null): Record<string, unknown> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

/** Deployments a project sees: its own, and those whose stack user project it is. */
function visibleTo(projectId: string) {
  return (eb: DeploymentsBuilder): Expression<SqlBool> =>
    eb.or([
      eb('software_deployments.project_id', '=', projectId),
      eb('software_deployments.stack_user_project_id', '=', projectId),
    ]);
}

/** The SQL implementation of the software config persistence port. */
export class SqlSoftwareStore implements SoftwareStore {
  /** @param db an open, migrated Kysely database (owned by the caller, e.g. the {@link SqlStore}). */
  constructor(private readonly db: Kysely<Database>) {}

  async insertConfig(config: SoftwareConfigRecord): Promise<void> {
    await this.db.insertInto('software_configs').values(configToRow(config)).execute();
  }

  async getConfig(id: string, projectId: string): Promise<SoftwareConfigRecord | undefined> {
    const row = await this.db
      .selectFrom('software_configs')
      .selectAll()
      .where('id', '=', id)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return row && rowToConfig(row);
  }

  async listConfigs(query: SoftwareConfigListQuery): Promise<SoftwareConfigRecord[]> {
    let select = this.db.selectFrom('software_configs').selectAll();
    if (query.projectId !== undefined) select = select.where('project_id', '=', query.projectId);
    if (query.marker !== undefined) {
      let markerQuery = this.db
        .selectFrom('software_configs')
        .select(['id', 'created_at'])
        .where('id', '=', query.marker);
      if (query.projectId !== undefined) markerQuery = markerQuery.where('project_id', '=', query.projectId);
      const marker = await markerQuery.executeTakeFirst();
      if (marker) {
        select = select.where((eb) =>
          eb.or([
            eb('created_at', '<', marker.created_at),
            eb.and([eb('created_at', '=', marker.created_at), eb('id', '<', marker.id)]),
          ]),
        );
      }
    }
    select = select.orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (query.limit !== undefined) select = select.limit(query.limit);
    return (await select.execute()).map(rowToConfig);
  }

  async countConfigs(projectId: string): Promise<number> {
    const row = await this.db
      .selectFrom('software_configs')
      .select((eb) => eb.fn.countAll<number | bigint | string>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async deleteConfig(id: string, projectId: string): Promise<ConfigDeleteOutcome> {
    return this.db.transaction().execute(async (tx) => {
      const config = await tx
        .selectFrom('software_configs')
        .select('id')
        .where('id', '=', id)
        .where('project_id', '=', projectId)
        .executeTakeFirst();
      if (!config) return 'missing';
      const user = await tx
        .selectFrom('software_deployments')
        .select('id')
        .where('config_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      if (user) return 'referenced';
      await tx.deleteFrom('software_configs').where('id', '=', id).execute();
      return 'deleted';
    });
  }

  async insertDeployment(deployment: SoftwareDeploymentRecord): Promise<void> {
    await this.db.insertInto('software_deployments').values(deploymentToRow(deployment)).execute();
  }

  async getDeployment(id: string, projectId: string): Promise<SoftwareDeploymentRecord | undefined> {
    const row = await this.db
      .selectFrom('software_deployments')
      .selectAll()
      .where('id', '=', id)
      .where(visibleTo(projectId))
      .executeTakeFirst();
    return row && rowToDeployment(row);
  }

  async listDeployments(query: SoftwareDeploymentListQuery): Promise<SoftwareDeploymentRecord[]> {
    let select = this.db.selectFrom('software_deployments').selectAll().where(visibleTo(query.projectId));
    if (query.serverId !== undefined) select = select.where('server_id', '=', query.serverId);
    const rows = await select.orderBy('created_at').orderBy('id').execute();
    return rows.map(rowToDeployment);
  }

  async countDeployments(projectId: string): Promise<number> {
    const row = await this.db
      .selectFrom('software_deployments')
      .select((eb) => eb.fn.countAll<number | bigint | string>().as('n'))
      .where(visibleTo(projectId))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async updateDeployment(
    id: string,
    patch: SoftwareDeploymentPatch,
  ): Promise<SoftwareDeploymentRecord | undefined> {
    const row = deploymentPatchToRow(patch);
    return this.db.transaction().execute(async (tx) => {
      if (Object.keys(row).length > 0) {
        await tx.updateTable('software_deployments').set(row).where('id', '=', id).execute();
      }
      const updated = await tx
        .selectFrom('software_deployments')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return updated && rowToDeployment(updated);
    });
  }

  async deleteDeployment(id: string): Promise<void> {
    await this.db.deleteFrom('software_deployments').where('id', '=', id).execute();
  }

  async listServerConfigs(projectId: string, serverId: string): Promise<SoftwareConfigRecord[]> {
    const rows = await this.db
      .selectFrom('software_deployments')
      .innerJoin('software_configs', 'software_configs.id', 'software_deployments.config_id')
      .selectAll('software_configs')
      .where('software_deployments.server_id', '=', serverId)
      .where(visibleTo(projectId))
      .orderBy('software_deployments.created_at')
      .orderBy('software_deployments.id')
      .execute();
    return rows.map(rowToConfig);
  }
}
