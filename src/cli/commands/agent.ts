/**
 * `hearth agent --config FILE [--state-dir DIR] [--hooks-dir DIR] [--log-level LEVEL]`: applies a server's
 * software deployments on the host (see docs/agent.md). FILE is the JSON of the DeployedServer's
 * `os_collect_config` attribute. Runs until SIGINT/SIGTERM; hooks still running then keep running and are
 * collected by the next start.
 */
import { Command } from 'commander';
import { join } from 'node:path';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';

/** Default state directory (heat-config's is /var/lib/heat-config). */
export const DEFAULT_AGENT_STATE_DIR = '/var/lib/hearth-agent';

/** Options of `hearth agent`. */
interface AgentCliOptions {
  config: string;
  stateDir: string;
  hooksDir?: string;
  logLevel: string;
  kubeletInfraImage?: string;
  kubeletHostIp?: string;
  kubeletHostPathRoot?: string[];
  imageRegistry?: string;
  dockerSocket?: string;
  kubeletStatsInterval?: string;
}

/** `--kubelet-stats-interval`: whole seconds, 0 or more. @throws CliError (exit 2) naming the value received. */
function statsSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new CliError(
      `--kubelet-stats-interval must be a whole number of seconds (0 = only on request), got "${value}".`,
      2,
    );
  }
  return n;
}

/** Builds the `agent` command. */
export function agentCommand(_io: CliIo): Command {
  return new Command('agent')
    .description("Apply this host's software deployments (config: the DeployedServer's os_collect_config)")
    .requiredOption('--config <file>', 'JSON of the os_collect_config attribute')
    .option('--state-dir <dir>', 'deployed markers, signals, scripts, hook output', DEFAULT_AGENT_STATE_DIR)
    .option('--hooks-dir <dir>', 'custom hooks: an executable per config group (default: <state-dir>/hooks)')
    .option('--log-level <level>', 'pino level: trace, debug, info, warn, error, silent', 'info')
    .option(
      '--kubelet-infra-image <ref>',
      'kubelet: image of pod infra containers (default hearth/agent:latest)',
    )
    .option('--kubelet-host-ip <ip>', 'kubelet: address host ports are published on (default 0.0.0.0)')
    .option(
      '--kubelet-host-path-root <dir...>',
      'kubelet: directories hostPath volumes may use (default none)',
    )
    .option(
      '--image-registry <file>',
      'verified images (env HEARTH_IMAGE_REGISTRY, default /var/lib/hearth/images.json)',
    )
    .option('--docker-socket <path>', 'Docker socket (env DOCKER_HOST, default /var/run/docker.sock)')
    .option(
      '--kubelet-stats-interval <seconds>',
      'kubelet: seconds between refreshes of the containers outputs (0 = only on request; default 30)',
    )
    .action(async (opts: AgentCliOptions) => {
      const { Agent, AgentConfigError, agentLogger, loadAgentConfig } = await import('../../agent/index.js');
      let config;
      try {
        config = loadAgentConfig(opts.config);
      } catch (err) {
        if (err instanceof AgentConfigError) throw new CliError(err.message, 2);
        throw err;
      }
      const logger = agentLogger(opts.logLevel, { server_id: config.serverId });
      const agent = new Agent(config, {
        stateDir: opts.stateDir,
        hooksDir: opts.hooksDir ?? join(opts.stateDir, 'hooks'),
        logger,
        kubelet: {
          ...(opts.kubeletInfraImage !== undefined ? { infraImage: opts.kubeletInfraImage } : {}),
          ...(opts.kubeletHostIp !== undefined ? { hostIp: opts.kubeletHostIp } : {}),
          ...(opts.kubeletHostPathRoot !== undefined ? { hostPathRoots: opts.kubeletHostPathRoot } : {}),
          ...(opts.imageRegistry !== undefined ? { imageRegistry: opts.imageRegistry } : {}),
          ...(opts.dockerSocket !== undefined ? { dockerSocket: opts.dockerSocket } : {}),
          ...(opts.kubeletStatsInterval !== undefined
            ? { statsSeconds: statsSeconds(opts.kubeletStatsInterval) }
            : {}),
        },
      });
      const stop = new AbortController();
      const onSignal = () => {
        stop.abort();
        // Hooks run detached: nothing to wait for but the log line.
        setTimeout(() => process.exit(0), 100).unref();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await agent.run(stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
