/**
 * What every client command needs: the API client from the global options (a noauth endpoint, or credentials
 * from `--os-*` flags, `OS_*` variables or clouds.yaml), the output format, the IO.
 */
import type { Command } from 'commander';
import { AuthSession, type ServiceType } from '../auth-session.js';
import { HeatClient, resolveEndpoint, type ConnectionSource } from '../client.js';
import { resolveCredentials, type CredentialOptions } from '../credentials.js';
import { parseFormat, type OutputFormat } from '../format.js';
import { CliError, type CliIo } from '../io.js';

/** The global options that choose where requests go. */
type TargetOptions = CredentialOptions & { endpoint?: string; project?: string };

/** The signed-in session of the global options; undefined without credentials. @throws CliError */
export function authSession(cmd: Command, io: CliIo): AuthSession | undefined {
  const creds = resolveCredentials(cmd.optsWithGlobals<CredentialOptions>(), io.env);
  return creds?.authUrl ? new AuthSession(creds, io.env) : undefined;
}

/**
 * Where a service's requests go: with credentials, the service's catalog endpoint (or `--endpoint` /
 * `HEARTH_ENDPOINT` for orchestration) and the session's token; a bare `--os-token` is sent to `--endpoint` as is;
 * without credentials, the noauth endpoint (`--endpoint`, `HEARTH_ENDPOINT` or the local default).
 * @throws CliError for incomplete credentials, or identity commands without any
 */
export function apiTarget(
  opts: TargetOptions,
  env: NodeJS.ProcessEnv,
  service: ServiceType,
): string | ConnectionSource {
  const creds = resolveCredentials(opts, env);
  const explicit =
    service === 'orchestration' ? (opts.endpoint ?? (env['HEARTH_ENDPOINT'] || undefined)) : undefined;
  if (!creds) {
    if (service === 'identity') {
      throw new CliError(
        'identity commands need credentials: --os-auth-url with --os-username/--os-password (or OS_AUTH_URL, ' +
          'OS_USERNAME, OS_PASSWORD, or --os-cloud NAME)',
      );
    }
    return resolveEndpoint(opts, env);
  }
  if (!creds.authUrl) {
    if (!explicit)
      throw new CliError('--os-token without --os-auth-url needs --endpoint (the API URL to send it to)');
    const endpoint = explicit.replace(/\/+$/, '');
    return { describe: endpoint, connect: async () => ({ endpoint, token: creds.token! }) };
  }
  return new AuthSession(creds, env).source(service, explicit);
}

/** The resolved global options of a command. */
export interface CommandEnv {
  client: HeatClient;
  format: OutputFormat;
  /** Columns kept by `-c/--column` (repeatable; empty: all). */
  columns: string[];
  io: CliIo;
}

/** Builds the {@link CommandEnv} of `cmd` (global `--endpoint`, `--project`, `--os-*`, `-f`, `-c`). */
export function commandEnv(cmd: Command, io: CliIo): CommandEnv {
  const opts = cmd.optsWithGlobals<TargetOptions & { format?: string; column?: string[] }>();
  return {
    client: new HeatClient(apiTarget(opts, io.env, 'orchestration')),
    format: parseFormat(opts.format ?? 'table'),
    columns: opts.column ?? [],
    io,
  };
}
