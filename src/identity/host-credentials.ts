/**
 * Host credentials: a credential scoped to one server (a DeployedServer), handed to the agent on that host in its
 * `os_collect_config`. It proves "I am server S of project P" and nothing else: the policy lets it read and
 * signal that server's deployments only (rule `host`).
 *
 * Format: `hth1.<projectId>.<serverId>.<mac>`, mac = base64url HMAC-SHA256 under the server secret of
 * `host\0<projectId>\0<serverId>`. Stateless to check; it stays valid only while the server exists (the caller of
 * {@link HostCredentials.parse} checks that), so deleting the DeployedServer revokes it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The prefix of every host credential (and its format version). */
export const HOST_CREDENTIAL_PREFIX = 'hth1.';

/** What a valid host credential names. */
export interface HostCredentialClaims {
  readonly projectId: string;
  readonly serverId: string;
}

/** True when `token` looks like a host credential (whether or not it is valid). */
export function isHostCredential(token: string): boolean {
  return token.startsWith(HOST_CREDENTIAL_PREFIX);
}

/** Issues and checks host credentials under one secret. */
export class HostCredentials {
  /** @param secret the server secret (the same one signal tokens use) */
  constructor(private readonly secret: Buffer) {}

  /** The credential of server `serverId` of project `projectId`. */
  issue(projectId: string, serverId: string): string {
    return `${HOST_CREDENTIAL_PREFIX}${projectId}.${serverId}.${this.mac(projectId, serverId)}`;
  }

  /**
   * The claims of a well-formed credential whose mac is right, else undefined. The server id and mac contain no
   * dot, so the project id is everything between the prefix and them.
   */
  parse(token: string): HostCredentialClaims | undefined {
    if (!isHostCredential(token)) return undefined;
    const parts = token.slice(HOST_CREDENTIAL_PREFIX.length).split('.');
    if (parts.length < 3) return undefined;
    const mac = parts.pop()!;
    const serverId = parts.pop()!;
    const projectId = parts.join('.');
    if (!projectId || !serverId) return undefined;
    const expected = Buffer.from(this.mac(projectId, serverId));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return { projectId, serverId };
  }

  private mac(projectId: string, serverId: string): string {
    return createHmac('sha256', this.secret).update(`host\0${projectId}\0${serverId}`).digest('base64url');
  }
}
