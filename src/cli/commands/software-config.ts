/**
 * `hearth software config create|list|show|delete`, as python-heatclient's `openstack software config …`.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../client.js';
import { formatList, formatOr, formatRecord, yamlCell } from '../format.js';
import { CliError, type CliIo } from '../io.js';
import { commandEnv, type CommandEnv } from './common.js';

/** A JSON object. */
type Json = Record<string, unknown>;

/** The columns of `software config list` (heatclient's, as printed by `openstack`). */
const LIST_COLUMNS: [string, string][] = [
  ['id', 'id'],
  ['name', 'name'],
  ['group', 'group'],
  ['creation_time', 'creation_time'],
];

/** The fields of `software config show`. */
const SHOW_FIELDS = ['id', 'name', 'group', 'config', 'inputs', 'outputs', 'options', 'creation_time'];

/** `software_configs/{id}` of an id. */
export function configPath(id: string): string {
  return `software_configs/${encodeURIComponent(id)}`;
}

/** Reads a file named by an option. @throws CliError naming the option and the file. */
async function readOptionFile(option: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`${option}: cannot read ${path}: ${(err as Error).message}`);
  }
}

/**
 * The `inputs`, `outputs` and `options` of a definition file (YAML or JSON; empty: none).
 * @throws CliError when the file is not a map.
 */
export function parseDefinition(text: string, path: string): Json {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : parseYaml(text);
  } catch (err) {
    throw new CliError(`--definition-file ${path}: not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new CliError(`--definition-file ${path}: must be a map with "inputs", "outputs" and "options"`);
  }
  return doc as Json;
}

/** Shows a config as `openstack software config show` (YAML by default; nested values as YAML in a table). */
function printConfig(env: CommandEnv, cmd: Command, config: Json, fallback: 'json' | 'yaml'): void {
  const record = Object.fromEntries(SHOW_FIELDS.map((f) => [f, config[f] ?? null]));
  env.io.out(formatRecord(formatOr(cmd, fallback), record, env.columns, (_k, v) => yamlCell(v)));
}

/** Adds the `config` group to `software`. */
export function addConfigCommands(software: Command, io: CliIo): void {
  const config = software.command('config').description('Software configs (immutable scripts and documents)');

  config
    .command('create')
    .description('Create a software config')
    .argument('<config-name>', 'name of the software config')
    .option('--config-file <file>', 'file holding the config itself (script or document)')
    .option('--definition-file <file>', 'YAML/JSON map with the config\'s "inputs", "outputs" and "options"')
    .option('--group <group>', 'the tool that applies the config', 'Heat::Ungrouped')
    .action(
      async (
        name: string,
        opts: { configFile?: string; definitionFile?: string; group: string },
        cmd: Command,
      ) => {
        const env = commandEnv(cmd, io);
        const definition = opts.definitionFile
          ? parseDefinition(
              await readOptionFile('--definition-file', opts.definitionFile),
              opts.definitionFile,
            )
          : {};
        const body = {
          group: opts.group,
          config: opts.configFile ? await readOptionFile('--config-file', opts.configFile) : '',
          inputs: definition.inputs ?? [],
          outputs: definition.outputs ?? [],
          options: definition.options ?? {},
          name,
        };
        const { software_config: created } = await env.client.request<{ software_config: Json }>(
          'POST',
          'software_configs',
          body,
        );
        printConfig(env, cmd, created, 'json');
      },
    );

  config
    .command('list')
    .description('List software configs, newest first')
    .option('--limit <limit>', 'at most this many configs')
    .option('--marker <id>', 'only configs after this one')
    .action(async (opts: { limit?: string; marker?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const query = new URLSearchParams();
      if (opts.limit) query.set('limit', opts.limit);
      if (opts.marker) query.set('marker', opts.marker);
      const q = query.toString();
      const { software_configs: configs } = await env.client.request<{ software_configs: Json[] }>(
        'GET',
        `software_configs${q ? `?${q}` : ''}`,
      );
      env.io.out(formatList(env.format, LIST_COLUMNS, configs, env.columns));
    });

  config
    .command('show')
    .description('Show a software config')
    .argument('<config>', 'id of the config')
    .option('--config-only', 'print only the config itself')
    .action(async (id: string, opts: { configOnly?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      let shown: Json;
      try {
        ({ software_config: shown } = await env.client.request<{ software_config: Json }>(
          'GET',
          configPath(id),
        ));
      } catch (err) {
        if (err instanceof ApiError && err.status === 404)
          throw new CliError(`Configuration not found: ${id}`);
        throw err;
      }
      if (opts.configOnly) {
        const text = shown.config;
        env.io.out(typeof text === 'string' ? text.replace(/\n$/, '') : yamlCell(text));
        return;
      }
      printConfig(env, cmd, shown, 'yaml');
    });

  config
    .command('delete')
    .description('Delete software configs')
    .argument('<config...>', 'ids of the configs')
    .action(async (ids: string[], _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      let failures = 0;
      for (const id of ids) {
        try {
          await env.client.request('DELETE', configPath(id));
        } catch (err) {
          failures++;
          if (err instanceof ApiError && err.status === 404)
            env.io.err(`Software config with ID ${id} not found`);
          else env.io.err(`Software config with ID ${id} not deleted: ${(err as Error).message}`);
        }
      }
      if (failures > 0) {
        throw new CliError(`Unable to delete ${failures} of the ${ids.length} software configs.`);
      }
    });
}
