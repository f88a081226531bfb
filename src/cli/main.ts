/**
 * The `hearth` command: `server`, and client verbs over the HTTP API (`stack …`, `template validate`,
 * `orchestration …`).
 * `bin/hearth.js` calls {@link main} with `process.argv`.
 */
import { Command, CommanderError } from 'commander';
import { orchestrationCommand } from './commands/orchestration.js';
import { serverCommand } from './commands/server.js';
import { stackCommand } from './commands/stack.js';
import { templateCommand } from './commands/template.js';
import { CliError, errorLines, processIo, type CliIo } from './io.js';

/** Builds the program (exposed for tests). */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command('hearth')
    .description('Heat-compatible orchestration: server and client')
    .option('--endpoint <url>', 'API endpoint, e.g. http://127.0.0.1:8004/v1/admin (env HEARTH_ENDPOINT)')
    .option('--project <id>', 'project for the default local endpoint (default admin)')
    .option('-f, --format <format>', 'output format: table, json, yaml, value', 'table')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program.addCommand(serverCommand(io));
  program.addCommand(stackCommand(io));
  program.addCommand(templateCommand(io));
  program.addCommand(orchestrationCommand(io));
  const exitOverride = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
    cmd.commands.forEach(exitOverride);
  };
  program.commands.forEach(exitOverride);
  return program;
}

/**
 * Runs the CLI with `argv` in `process.argv` form (`[node, script, ...args]`). Sets `process.exitCode` on
 * failure: 1 for errors (API errors print the Heat message and each problem), 2 for usage errors.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<void> {
  if (io === processIo) {
    // `hearth … | head`: a closed pipe ends the command quietly, as for any Unix tool.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  try {
    await buildProgram(io).parseAsync(argv, { from: 'node' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode !== 0) process.exitCode = err.code === 'commander.help' ? 0 : 2;
      return;
    }
    for (const line of errorLines(err)) io.err(line);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}
