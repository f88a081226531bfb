/**
 * Delivery of a deployment's signal (heat-config-notify's job): to `deploy_signal_id` with `deploy_signal_verb`
 * — the agent API's signal URL (HEAT_SIGNAL, with the host credential) or a signed signal URL (TEMP_URL_SIGNAL,
 * which needs no credential and gets none) — retried with exponential backoff and jitter on network errors and
 * 5xx answers. NO_SIGNAL deployments send nothing.
 */
import type { AgentApiClient } from './api-client.js';
import { inputText, type DeploymentConfig } from './deployment.js';
import { loggableUrl, type AgentLogger } from './log.js';

/** Where a deployment's signal goes. */
export interface SignalTarget {
  readonly url: string;
  readonly verb: string;
  /** Send the host credential (HEAT_SIGNAL to the configured endpoint). */
  readonly withToken: boolean;
}

/** The signal target of a config, or why there is none. */
export function signalTarget(c: DeploymentConfig): SignalTarget | { readonly none: string } {
  const transport = inputText(c, 'deploy_signal_transport');
  if (transport === 'NO_SIGNAL') return { none: 'NO_SIGNAL: the server does not wait for a signal' };
  const url = inputText(c, 'deploy_signal_id');
  if (!url) return { none: 'the config has no deploy_signal_id: nowhere to signal' };
  const verb = (inputText(c, 'deploy_signal_verb') ?? 'POST').toUpperCase();
  return { url, verb, withToken: transport !== 'TEMP_URL_SIGNAL' };
}

/** Retry policy of deliveries. */
export interface RetryPolicy {
  /** Attempts in all. @default 10 (heat-config-notify's) */
  readonly attempts: number;
  /** First delay. @default 500 ms */
  readonly baseMs: number;
  /** Longest delay. @default 30 s */
  readonly maxMs: number;
}

/** The default policy. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 10, baseMs: 500, maxMs: 30_000 };

/** How a delivery ended. */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'refused'; readonly status: number; readonly message: string }
  | { readonly kind: 'gave-up'; readonly message: string };

/** Whether an answer is worth retrying. */
function retryable(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** Exponential backoff with full jitter in [50 %, 150 %]. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const base = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(base * (0.5 + Math.random()));
}

/** Sends `body` to `target`, retrying as the policy says; never throws. */
export async function deliverSignal(
  client: AgentApiClient,
  target: SignalTarget,
  body: string,
  log: AgentLogger,
  policy: RetryPolicy = DEFAULT_RETRY,
  stop?: AbortSignal,
): Promise<DeliveryOutcome> {
  const where = loggableUrl(target.url);
  let last = '';
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    if (attempt > 0) {
      const delay = backoffMs(attempt - 1, policy);
      log.warn({ url: where, attempt, delay_ms: delay, error: last }, 'signal not delivered yet; retrying');
      await new Promise((r) => setTimeout(r, delay));
      if (stop?.aborted) break;
    }
    try {
      const answer = await client.send(target.url, target.verb, body, target.withToken);
      if (answer.status < 300) return { kind: 'delivered', status: answer.status };
      if (!retryable(answer.status))
        return { kind: 'refused', status: answer.status, message: answer.message };
      last = `HTTP ${answer.status}: ${answer.message}`;
    } catch (err) {
      last = (err as Error).message;
    }
  }
  return { kind: 'gave-up', message: last };
}
