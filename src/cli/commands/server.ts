/**
 * `hearth server --listen HOST:PORT --data-dir DIR [--insecure-noauth] [--enable-abandon] [--enable-adopt]
 *  [--max-resources-per-stack N] [--max-nested-depth N] [--max-stacks-per-project N] [--max-template-size BYTES]
 *  [--max-body-size BYTES] [--max-events-per-stack N] [--audit-retention N]
 *  [--bootstrap-admin-password PW] [--token-ttl SECONDS] [--public-url URL]`, and the split roles
 * `hearth api --db URL …` (same options) and `hearth engine --db URL [--listen HOST:PORT] [--lease-seconds N]
 * [--capacity N]` (docs/scale-out.md).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { CliIo } from '../io.js';

/** What the server module offers (written in src/server/start.ts). */
interface ServerModule {
  startServer(options: {
    listen: string;
    dataDir: string;
    db?: string;
    onDatabaseWait?: (message: string) => void;
    insecureNoauth: boolean;
    enableAbandon: boolean;
    enableAdopt: boolean;
    limits?: {
      maxResourcesPerStack?: number;
      maxNestedDepth?: number;
      maxStacksPerProject?: number;
      maxTemplateSize?: number;
      maxEventsPerStack?: number;
    };
    maxBodyBytes?: number;
    auditRetention?: number;
    softwareLimits?: { maxConfigsPerProject?: number; maxDeploymentsPerProject?: number };
    bootstrapAdminPassword?: string;
    tokenTtlSeconds?: number;
    publicUrl?: string;
    containerServers?: {
      networkPrefix?: string;
      agentUrl?: string;
      trustLocalImages?: boolean;
      hostPathRoots?: string[];
    };
    role?: 'server' | 'api' | 'engine';
    log?: { level: string };
    worker?: { leaseMs?: number; capacity?: number };
    onLog?: (message: string) => void;
    notify?: { url: string; exchange?: string };
  }): Promise<{
    url: string;
    close(): Promise<void>;
  }>;
}

const ROLE_DESCRIPTIONS = {
  server: 'Run the Hearth API server and engine in one process (embedded SQLite by default)',
  api: 'Run a stateless Hearth API process (actions are queued for `hearth engine` processes; needs --db)',
  engine: 'Run a Hearth engine process: claims and runs stack actions queued in the database (needs --db)',
} as const;

/**
 * Builds the `server` command (or, with `role`, `api` / `engine`); it runs until SIGINT/SIGTERM, then closes
 * cleanly (an engine gives its leases back so other engines resume its work at once).
 */
export function serverCommand(io: CliIo, role: 'server' | 'api' | 'engine' = 'server'): Command {
  const command = new Command(role).description(ROLE_DESCRIPTIONS[role]);
  command.option(
    '--listen <host:port>',
    role === 'engine' ? 'address of /healthz, /readyz and /metrics' : 'address to listen on',
    role === 'engine' ? '127.0.0.1:8005' : '127.0.0.1:8004',
  );
  if (role === 'server') {
    command
      .requiredOption('--data-dir <dir>', 'directory for the database and the server secret')
      .option(
        '--db <url>',
        'store URL: sqlite:PATH, postgres://… or mysql://… (default: SQLite in --data-dir)',
      );
  } else {
    command
      .requiredOption(
        '--db <url>',
        'store URL shared by every api and engine: postgres://…, mysql://… or sqlite:PATH',
      )
      .option(
        '--data-dir <dir>',
        'directory for local files (default: a directory under the system temp dir)',
      );
  }
  if (role === 'engine') {
    command
      .option(
        '--lease-seconds <n>',
        'lease of a claimed stack action: how soon another engine resumes it',
        '30',
      )
      .option('--capacity <n>', 'most stack actions this engine runs at once', '64');
  }
  return command
    .option('--insecure-noauth', 'trust the project in the URL (no authentication; development only)')
    .option(
      '--bootstrap-admin-password <password>',
      'on first start, create project admin and user admin (role admin) with this password ' +
        '(env HEARTH_BOOTSTRAP_ADMIN_PASSWORD; never resets an existing password)',
    )
    .option('--token-ttl <seconds>', 'lifetime of identity tokens', '3600')
    .option('--public-url <url>', 'base URL clients reach the server at (service catalog, signal URLs)')
    .option(
      '--log <level>',
      'JSON logs on stdout (requests with their request and stack ids, engine events): ' +
        'fatal, error, warn, info, debug or silent',
      role === 'server' ? 'silent' : 'info',
    )
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
    .option(
      '--max-stacks-per-project <n>',
      "stacks per project, admins exempt (Heat's max_stacks_per_tenant; -1: unlimited)",
      '512',
    )
    .option('--max-template-size <bytes>', "template size (Heat's max_template_size)", '524288')
    .option('--max-body-size <bytes>', "request body size (Heat's max_json_body_size)", '1048576')
    .option(
      '--max-events-per-stack <n>',
      "events kept per stack, the oldest purged 200 at a time (Heat's max_events_per_stack; 0: unlimited)",
      '1000',
    )
    .option('--audit-retention <n>', 'audit records kept per project (the newest)', '10000')
    .option(
      '--max-software-configs-per-project <n>',
      "software configs per project, admins exempt (Heat's max_software_configs_per_tenant; -1: unlimited)",
      '4096',
    )
    .option(
      '--max-software-deployments-per-project <n>',
      "software deployments per project, admins exempt (Heat's max_software_deployments_per_tenant; -1: unlimited)",
      '4096',
    )
    .option('--container-servers', 'run OS::Nova::Server as Docker containers (docs/servers.md)')
    .option('--container-network-prefix <prefix>', 'prefix of per-project Docker network names', 'hearth-')
    .option('--container-agent-url <url>', 'base URL agents in container servers reach the API at')
    .option('--trust-local-images', 'container servers may use any image on the engine (development, tests)')
    .option(
      '--container-host-path-root <dir...>',
      'host directories the pods of container servers may mount as hostPath (default: none)',
    )
    .option(
      '--notify-url <url>',
      'publish stack and resource events as Heat notifications to this AMQP broker (amqp://USER:PASSWORD@HOST:PORT/VHOST)',
    )
    .option('--notify-exchange <name>', 'exchange of the notifications (topic, durable)', 'heat')
    .action(
      async (opts: {
        listen: string;
        dataDir?: string;
        log: string;
        leaseSeconds?: string;
        capacity?: string;
        db?: string;
        insecureNoauth?: boolean;
        enableAbandon?: boolean;
        enableAdopt?: boolean;
        maxResourcesPerStack: string;
        maxNestedDepth: string;
        maxStacksPerProject: string;
        maxTemplateSize: string;
        maxBodySize: string;
        maxEventsPerStack: string;
        auditRetention: string;
        maxSoftwareConfigsPerProject: string;
        maxSoftwareDeploymentsPerProject: string;
        bootstrapAdminPassword?: string;
        tokenTtl: string;
        publicUrl?: string;
        containerServers?: boolean;
        containerNetworkPrefix: string;
        containerAgentUrl?: string;
        trustLocalImages?: boolean;
        containerHostPathRoot?: string[];
        notifyUrl?: string;
        notifyExchange: string;
      }) => {
        const limits = {
          maxResourcesPerStack: integerOption('--max-resources-per-stack', opts.maxResourcesPerStack, -1),
          maxNestedDepth: integerOption('--max-nested-depth', opts.maxNestedDepth, 0),
          maxStacksPerProject: integerOption('--max-stacks-per-project', opts.maxStacksPerProject, -1),
          maxTemplateSize: integerOption('--max-template-size', opts.maxTemplateSize, 1),
          maxEventsPerStack: integerOption('--max-events-per-stack', opts.maxEventsPerStack, 0),
        };
        const maxBodyBytes = integerOption('--max-body-size', opts.maxBodySize, 1);
        const auditRetention = integerOption('--audit-retention', opts.auditRetention, 1);
        const softwareLimits = {
          maxConfigsPerProject: integerOption(
            '--max-software-configs-per-project',
            opts.maxSoftwareConfigsPerProject,
            -1,
          ),
          maxDeploymentsPerProject: integerOption(
            '--max-software-deployments-per-project',
            opts.maxSoftwareDeploymentsPerProject,
            -1,
          ),
        };
        const tokenTtlSeconds = integerOption('--token-ttl', opts.tokenTtl, 1);
        const bootstrapAdminPassword =
          opts.bootstrapAdminPassword ?? io.env['HEARTH_BOOTSTRAP_ADMIN_PASSWORD'];
        if (opts.publicUrl !== undefined && !isHttpUrl(opts.publicUrl)) {
          throw new Error(`--public-url must be an http(s) URL with a host, got "${opts.publicUrl}"`);
        }
        if (opts.notifyUrl === undefined && command.getOptionValueSource('notifyExchange') === 'cli') {
          throw new Error('--notify-exchange needs --notify-url (the broker to publish to)');
        }
        const modulePath = '../../server/start.js';
        const { startServer } = (await import(modulePath)) as ServerModule;
        const worker =
          role === 'engine'
            ? {
                leaseMs: integerOption('--lease-seconds', opts.leaseSeconds ?? '30', 2) * 1000,
                capacity: integerOption('--capacity', opts.capacity ?? '64', 1),
              }
            : undefined;
        const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'];
        if (!levels.includes(opts.log)) {
          throw new Error(`--log must be one of ${levels.join(', ')}, got "${opts.log}"`);
        }
        // A failed start must end the process (a supervisor restarts it) even if a connection is still open.
        const exitSoon = (): void => {
          setTimeout(() => process.exit(process.exitCode ?? 1), 2000).unref();
        };
        const server = await startServer({
          role,
          ...(opts.log !== 'silent' ? { log: { level: opts.log } } : {}),
          ...(worker ? { worker } : {}),
          onLog: (message: string) => io.err(`hearth ${role}: ${message}`),
          listen: opts.listen,
          dataDir: opts.dataDir ?? join(tmpdir(), `hearth-${role}-${process.pid}`),
          ...(opts.db !== undefined ? { db: opts.db } : {}),
          onDatabaseWait: (message: string) => io.err(`hearth: ${message}`),
          insecureNoauth: opts.insecureNoauth ?? false,
          enableAbandon: opts.enableAbandon ?? false,
          enableAdopt: opts.enableAdopt ?? false,
          limits,
          maxBodyBytes,
          auditRetention,
          softwareLimits,
          tokenTtlSeconds,
          ...(bootstrapAdminPassword ? { bootstrapAdminPassword } : {}),
          ...(opts.publicUrl !== undefined ? { publicUrl: opts.publicUrl } : {}),
          ...(opts.notifyUrl !== undefined
            ? { notify: { url: opts.notifyUrl, exchange: opts.notifyExchange } }
            : {}),
          ...(opts.containerServers
            ? {
                containerServers: {
                  networkPrefix: opts.containerNetworkPrefix,
                  ...(opts.containerAgentUrl ? { agentUrl: opts.containerAgentUrl } : {}),
                  trustLocalImages: opts.trustLocalImages ?? false,
                  ...(opts.containerHostPathRoot ? { hostPathRoots: opts.containerHostPathRoot } : {}),
                },
              }
            : {}),
        }).catch((e: unknown) => {
          exitSoon();
          throw e;
        });
        io.err(
          role === 'engine'
            ? `hearth: engine running; health and metrics on ${server.url}`
            : `hearth: listening on ${server.url}`,
        );
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

/** Whether `raw` is an absolute http(s) URL naming a host (e.g. not `http://:8004`). */
function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
