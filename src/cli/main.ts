/**
 * The `hearth` command: `server`, and client verbs over the HTTP API (`stack …`, `template validate`,
 * `orchestration …`).
 * `bin/hearth.js` calls {@link main} with `process.argv`.
 */
import { Command, CommanderError } from 'commander';
import { agentCommand } from './commands/agent.js';
import { auditCommand } from './commands/audit.js';
import { identityCommands } from './commands/identity.js';
import { imageCommand } from './commands/image.js';
import { orchestrationCommand } from './commands/orchestration.js';
import { serverCommand } from './commands/server.js';
import { softwareCommand } from './commands/software.js';
import { stackCommand } from './commands/stack.js';
import { templateCommand } from './commands/template.js';
import { CliError, errorLines, processIo, type CliIo } from './io.js';

/** Builds the program (exposed for tests). */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command('hearth')
    .description('Heat-compatible orchestration: server and client')
    .option('--endpoint <url>', 'API endpoint, e.g. http://127.0.0.1:8004/v1/admin (env HEARTH_ENDPOINT)')
    .option('--project <id>', 'project for the default local endpoint (default admin)')
    .option('--os-cloud <name>', 'cloud of clouds.yaml to use (env OS_CLOUD)')
    .option('--os-auth-url <url>', 'identity URL, e.g. http://127.0.0.1:8004/v3 (env OS_AUTH_URL)')
    .option('--os-username <name>', 'user name (env OS_USERNAME)')
    .option('--os-user-id <id>', 'user id (env OS_USER_ID)')
    .option('--os-password <password>', 'password (env OS_PASSWORD)')
    .option('--os-project-name <name>', 'project to scope to (env OS_PROJECT_NAME)')
    .option('--os-project-id <id>', 'project id to scope to (env OS_PROJECT_ID)')
    .option('--os-user-domain-name <name>', 'user domain, Default (env OS_USER_DOMAIN_NAME)')
    .option('--os-project-domain-name <name>', 'project domain, Default (env OS_PROJECT_DOMAIN_NAME)')
    .option(
      '--os-application-credential-id <id>',
      'application credential id (env OS_APPLICATION_CREDENTIAL_ID)',
    )
    .option(
      '--os-application-credential-secret <secret>',
      'application credential secret (env OS_APPLICATION_CREDENTIAL_SECRET)',
    )
    .option('--os-token <token>', 'an existing token (env OS_TOKEN)')
    .option('--os-region-name <name>', 'catalog region (env OS_REGION_NAME)')
    .option('--os-interface <interface>', 'catalog interface: public, internal, admin (env OS_INTERFACE)')
    .option('-f, --format <format>', 'output format: table, json, yaml, value', 'table')
    .option(
      '-c, --column <name>',
      'show only this column (repeatable; header or field name)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program.addCommand(serverCommand(io));
  program.addCommand(serverCommand(io, 'api'));
  program.addCommand(serverCommand(io, 'engine'));
  program.addCommand(stackCommand(io));
  program.addCommand(templateCommand(io));
  program.addCommand(orchestrationCommand(io));
  program.addCommand(softwareCommand(io));
  program.addCommand(auditCommand(io));
  program.addCommand(agentCommand(io));
  program.addCommand(imageCommand(io));
  for (const command of identityCommands(io)) program.addCommand(command);
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
