/**
 * What every client command needs: the API client from the global options, the output format, the IO.
 */
import type { Command } from 'commander';
import { HeatClient, resolveEndpoint } from '../client.js';
import { parseFormat, type OutputFormat } from '../format.js';
import type { CliIo } from '../io.js';

/** The resolved global options of a command. */
export interface CommandEnv {
  client: HeatClient;
  format: OutputFormat;
  io: CliIo;
}

/** Builds the {@link CommandEnv} of `cmd` (global `--endpoint`, `--project`, `-f`). */
export function commandEnv(cmd: Command, io: CliIo): CommandEnv {
  const opts = cmd.optsWithGlobals<{ endpoint?: string; project?: string; format?: string }>();
  return {
    client: new HeatClient(resolveEndpoint(opts, io.env)),
    format: parseFormat(opts.format ?? 'table'),
    io,
  };
}
