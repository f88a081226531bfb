/**
 * `hearth software deployment create|list|show|delete|metadata show|output show`, as python-heatclient's
 * `openstack software deployment …`. `create` makes a deployment row directly (a derived config plus the
 * deployment), as heatclient does; the host is expected to report back through `PUT software_deployments/{id}`.
 */
import { Command } from 'commander';
import { pyStr } from '../../template/parameters/python.js';
import { ApiError } from '../client.js';
import { formatList, formatOr, formatRecord, yamlCell } from '../format.js';
import { collect } from '../inputs.js';
import { CliError, type CliIo } from '../io.js';
import { commandEnv, type CommandEnv } from './common.js';
import { configPath } from './software-config.js';
import { derivedConfigBody, parseInputValues } from './software-derived.js';

/** A JSON object. */
type Json = Record<string, unknown>;

/** The columns of `software deployment list`, and the extra ones of `--long`. */
const LIST_COLUMNS: [string, string][] = ['id', 'config_id', 'server_id', 'action', 'status'].map((c) => [
  c,
  c,
]);
const LONG_LIST_COLUMNS: [string, string][] = [
  ...LIST_COLUMNS,
  ['creation_time', 'creation_time'],
  ['status_reason', 'status_reason'],
];

/** The fields of `software deployment show` (`--long` adds `output_values`). */
const SHOW_FIELDS = [
  'id',
  'server_id',
  'config_id',
  'creation_time',
  'updated_time',
  'status',
  'status_reason',
  'input_values',
  'action',
];

/** How many trailing lines of `deploy_stdout`/`deploy_stderr` `output show` prints without `--long`. */
const LOG_TAIL_LINES = 10;

/** `software_deployments/{id}` of an id. */
function deploymentPath(id: string): string {
  return `software_deployments/${encodeURIComponent(id)}`;
}

/** A deployment, or `notFound` as the command's error. */
async function getDeployment(env: CommandEnv, id: string, notFound: string): Promise<Json> {
  try {
    const { software_deployment: d } = await env.client.request<{ software_deployment: Json }>(
      'GET',
      deploymentPath(id),
    );
    return d;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) throw new CliError(notFound);
    throw err;
  }
}

/**
 * One output as heatclient's `print_software_deployment_output`: `deploy_stdout`/`deploy_stderr` as an indented
 * block (only the last 10 lines unless `long`), anything else as `name: value` (Python's `str()`).
 */
export function deploymentOutputLines(outputs: Json, name: string, long: boolean): string {
  const value = outputs[name];
  if (name !== 'deploy_stdout' && name !== 'deploy_stderr') return `  ${name}: ${pyStr(value ?? null)}`;
  if (value === undefined || value === null) return `  ${name}: |\nNone`;
  let lines = pyStr(value).split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  if (!long && lines.length > LOG_TAIL_LINES) {
    lines = ['...', ...lines.slice(-LOG_TAIL_LINES), '(truncated, view all with --long)'];
  }
  return `  ${name}: |\n${lines.map((l) => `    ${l}`).join('\n')}`;
}

/** Adds the `deployment` group to `software`. */
export function addDeploymentCommands(software: Command, io: CliIo): void {
  const deployment = software
    .command('deployment')
    .description('Software deployments (a config applied to one server)');

  deployment
    .command('create')
    .description('Create a software deployment of a config to a server')
    .argument('<deployment-name>', 'name of the derived config (it orders the configs of the server)')
    .requiredOption('--server <server>', 'id of the server being deployed to')
    .option('--config <config>', 'id of the config to deploy')
    .option('--input-value <key=value>', 'an input value of the deployment (repeatable)', collect, [])
    .option('--action <action>', 'CREATE, UPDATE, DELETE, SUSPEND, RESUME, or a custom action', 'UPDATE')
    .option(
      '--signal-transport <transport>',
      'how the server signals its outputs; the CLI supports NO_SIGNAL (heatclient: TEMP_URL_SIGNAL, which needs Swift)',
      'NO_SIGNAL',
    )
    .action(
      async (
        name: string,
        opts: {
          server: string;
          config?: string;
          inputValue: string[];
          action: string;
          signalTransport: string;
        },
        cmd: Command,
      ) => {
        const env = commandEnv(cmd, io);
        const inputValues = parseInputValues(opts.inputValue);
        let source: Json = {};
        if (opts.config) {
          try {
            ({ software_config: source } = await env.client.request<{ software_config: Json }>(
              'GET',
              configPath(opts.config),
            ));
          } catch (err) {
            if (err instanceof ApiError && err.status === 404) {
              throw new CliError(`Software configuration not found: ${opts.config}`);
            }
            throw err;
          }
        }
        const derived = derivedConfigBody({
          name,
          source,
          inputValues,
          serverId: opts.server,
          action: opts.action,
          signalTransport: opts.signalTransport,
        });
        const { software_config: config } = await env.client.request<{ software_config: Json }>(
          'POST',
          'software_configs',
          derived,
        );
        const { software_deployment: created } = await env.client.request<{ software_deployment: Json }>(
          'POST',
          'software_deployments',
          { config_id: config.id, server_id: opts.server, action: opts.action, status: 'IN_PROGRESS' },
        );
        const sorted = Object.fromEntries(Object.entries(created).sort(([a], [b]) => (a < b ? -1 : 1)));
        env.io.out(formatRecord(formatOr(cmd, 'yaml'), sorted, env.columns, (_k, v) => yamlCell(v)));
      },
    );

  deployment
    .command('list')
    .description('List software deployments, oldest first')
    .option('--server <server>', 'only the deployments of this server')
    .option('--long', 'also show the creation time and status reason')
    .action(async (opts: { server?: string; long?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const query = opts.server ? `?server_id=${encodeURIComponent(opts.server)}` : '';
      const { software_deployments: deployments } = await env.client.request<{
        software_deployments: Json[];
      }>('GET', `software_deployments${query}`);
      env.io.out(
        formatList(env.format, opts.long ? LONG_LIST_COLUMNS : LIST_COLUMNS, deployments, env.columns),
      );
    });

  deployment
    .command('show')
    .description('Show a software deployment')
    .argument('<deployment>', 'id of the deployment')
    .option('--long', 'also show the output values')
    .action(async (id: string, opts: { long?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const d = await getDeployment(env, id, `Software Deployment not found: ${id}`);
      const fields = opts.long ? [...SHOW_FIELDS, 'output_values'] : SHOW_FIELDS;
      const record = Object.fromEntries(fields.map((f) => [f, d[f] ?? null]));
      env.io.out(formatRecord(env.format, record, env.columns, (_k, v) => yamlCell(v)));
    });

  deployment
    .command('delete')
    .description('Delete software deployments and their (derived) configs')
    .argument('<deployment...>', 'ids of the deployments')
    .action(async (ids: string[], _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      let failures = 0;
      for (const id of ids) {
        let configId: unknown;
        try {
          configId = (await getDeployment(env, id, `Deployment with ID ${id} not found`)).config_id;
          await env.client.request('DELETE', deploymentPath(id));
        } catch (err) {
          failures++;
          env.io.err(
            err instanceof CliError
              ? err.message
              : `Deployment with ID ${id} failed to delete: ${(err as Error).message}`,
          );
          continue;
        }
        try {
          await env.client.request('DELETE', configPath(String(configId)));
        } catch {
          env.io.err(`Failed to delete the correlative config ${String(configId)} of deployment ${id}`);
        }
      }
      if (failures > 0) throw new CliError(`Unable to delete ${failures} of the ${ids.length} deployments.`);
    });

  deployment
    .command('metadata')
    .description("A server's deployment metadata")
    .command('show')
    .description('Show the deployment metadata of a server (what its agent polls), as JSON')
    .argument('<server>', 'id of the server')
    .action(async (server: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const { metadata } = await env.client.request<{ metadata: Json[] }>(
        'GET',
        `software_deployments/metadata/${encodeURIComponent(server)}`,
      );
      env.io.out(JSON.stringify(metadata, null, 2));
    });

  deployment
    .command('output')
    .description('Outputs of a deployment')
    .command('show')
    .description('Show one output of a deployment, or all of them')
    .argument('<deployment>', 'id of the deployment')
    .argument('[output-name]', 'the output to show')
    .option('--all', 'show every output')
    .option('--long', 'show deploy_stdout/deploy_stderr in full')
    .action(
      async (
        id: string,
        output: string | undefined,
        opts: { all?: boolean; long?: boolean },
        cmd: Command,
      ) => {
        const env = commandEnv(cmd, io);
        if ((output === undefined) === !opts.all) {
          throw new CliError('Error: either <output-name> or --all argument is needed.', 2);
        }
        const d = await getDeployment(env, id, `Deployment not found: ${id}`);
        const outputs = (d.output_values ?? {}) as Json;
        if (output !== undefined) {
          if (!Object.hasOwn(outputs, output)) {
            throw new CliError(`Output ${output} does not exist in deployment ${id}`);
          }
          env.io.out(`output_value:\n\n${deploymentOutputLines(outputs, output, opts.long ?? false)}`);
          return;
        }
        const names = Object.keys(outputs);
        if (names.length === 0) return;
        env.io.out(
          [
            'output_values:\n',
            ...names.map((n) => deploymentOutputLines(outputs, n, opts.long ?? false)),
          ].join('\n'),
        );
      },
    );
}
