/**
 * Signal URLs and their tokens. A token is an HMAC of (project, stack id, resource name) under a server secret:
 * it lets a host or script signal that one resource (wait condition handles, scaling policies) and nothing else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StackRecord } from './store.js';

/** Issues and checks resource signal tokens. */
export class SignalTokens {
  /**
   * @param secret server secret (kept in the data directory)
   * @param publicUrl base URL clients reach the API at, e.g. `http://127.0.0.1:8004`
   */
  constructor(
    private readonly secret: Buffer,
    private publicUrl: string,
  ) {}

  /** Sets the base URL once the server knows its address. */
  setPublicUrl(url: string): void {
    this.publicUrl = url.replace(/\/+$/, '');
  }

  /** The token of one resource. */
  token(projectId: string, stackId: string, resourceName: string): string {
    return createHmac('sha256', this.secret)
      .update(`${projectId}\0${stackId}\0${resourceName}`)
      .digest('base64url');
  }

  /** Whether `token` is the token of that resource. */
  verify(projectId: string, stackId: string, resourceName: string, token: string): boolean {
    const expected = Buffer.from(this.token(projectId, stackId, resourceName));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** The signal URL and token of a resource. */
  endpoint(stack: StackRecord, resourceName: string): { url: string; token: string } {
    const path = `/v1/${encodeURIComponent(stack.projectId)}/stacks/${encodeURIComponent(stack.name)}/${stack.id}/resources/${encodeURIComponent(resourceName)}/signal`;
    return { url: `${this.publicUrl}${path}`, token: this.token(stack.projectId, stack.id, resourceName) };
  }
}
