/**
 * `hearth server --listen HOST:PORT --data-dir DIR [--insecure-noauth] [--enable-abandon] [--enable-adopt]
 *  [--max-resources-per-stack N] [--max-nested-depth N]`.
 */
import { Command } from 'commander';
import type { CliIo } from '../io.js';

/** What the server module offers (written in src/server/start.ts). */
interface ServerModule {
  startServer(options: {
    listen: string;
    dataDir: string;
    insecureNoauth: boolean;
    enableAbandon: boolean;
    enableAdopt: boolean;
    limits?: { maxResourcesPerStack?: number; maxNestedDepth?: number };
  }): Promise<{
    url: string;
    close(): Promise<void>;
  }>;
}

/** Builds the `server` command; it runs until SIGINT/SIGTERM, then closes the server cleanly. */
export function serverCommand(io: CliIo): Command {
  return new Command('server')
    .description('Run the Hearth API server and engine')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8004')
    .requiredOption('--data-dir <dir>', 'directory for the database')
    .option('--insecure-noauth', 'trust the project in the URL (no authentication; development only)')
    .option(
      '--enable-abandon',
      "serve stack abandon and export (Heat's enable_stack_abandon; off by default)",
    )
    .option('--enable-adopt', "accept stack adopt (Heat's enable_stack_adopt; off by default)")
    .option(
      '--max-resources-per-stack <n>',
      "resources in a whole stack tree, nested stacks included (Heat's max_resources_per_stack; -1: unlimited)",
      '1000',
    )
    .option('--max-nested-depth <n>', "nesting depth of stacks (Heat's max_nested_stack_depth)", '5')
    .action(
      async (opts: {
        listen: string;
        dataDir: string;
        insecureNoauth?: boolean;
        enableAbandon?: boolean;
        enableAdopt?: boolean;
        maxResourcesPerStack: string;
        maxNestedDepth: string;
      }) => {
        const limits = {
          maxResourcesPerStack: integerOption('--max-resources-per-stack', opts.maxResourcesPerStack, -1),
          maxNestedDepth: integerOption('--max-nested-depth', opts.maxNestedDepth, 0),
        };
        const modulePath = '../../server/start.js';
        const { startServer } = (await import(modulePath)) as ServerModule;
        const server = await startServer({
          listen: opts.listen,
          dataDir: opts.dataDir,
          insecureNoauth: opts.insecureNoauth ?? false,
          enableAbandon: opts.enableAbandon ?? false,
          enableAdopt: opts.enableAdopt ?? false,
          limits,
        });
        io.err(`hearth: listening on ${server.url}`);
        await new Promise<void>((resolve) => {
          const stop = (sig: string) => {
            io.err(`hearth: ${sig} received, shutting down`);
            process.off('SIGINT', onInt);
            process.off('SIGTERM', onTerm);
            resolve();
          };
          const onInt = () => stop('SIGINT');
          const onTerm = () => stop('SIGTERM');
          process.on('SIGINT', onInt);
          process.on('SIGTERM', onTerm);
        });
        await server.close();
      },
    );
}

/** Parses an integer option not below `min`, or fails with the option's name and the value received. */
function integerOption(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}
