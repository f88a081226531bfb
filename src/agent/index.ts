/**
 * `hearth agent`'s library: the {@link Agent} and its configuration file (what the CLI command and the benchmark
 * use).
 */
export { Agent, type AgentOptions } from './agent.js';
export { AgentConfigError, loadAgentConfig, parseAgentConfig, type AgentConfig } from './config.js';
export { agentLogger, type AgentLogger } from './log.js';
