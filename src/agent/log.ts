/**
 * The agent's structured log: JSON lines (pino) on stdout. Nothing secret is ever logged: the host credential
 * never, signal URLs without their query (a signed URL's signature is a credential), input values never.
 */
import { pino, type Logger } from 'pino';

/** The agent's logger. */
export type AgentLogger = Logger;

/** A logger at `level` (`silent` for in-process use, e.g. benchmarks). */
export function agentLogger(level = 'info', bindings: Record<string, string> = {}): AgentLogger {
  return pino({
    level,
    base: { agent: 'hearth', ...bindings },
    redact: { paths: ['token', '*.token', 'headers["x-auth-token"]'], censor: '[secret]' },
  });
}

/** A URL as it may be logged: origin and path, never the query (signed URLs carry their signature there). */
export function loggableUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '<not a URL>';
  }
}
