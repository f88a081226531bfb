/**
 * Signed deployment signal URLs (Hearth's TEMP_URL_SIGNAL, the idea of Swift's TempURL without Swift): a URL that
 * lets whoever holds it signal one deployment, with no other credential, until it expires.
 *
 * `<public>/v1/signal/deployments/<deployment_id>?expires=<unix seconds>&signature=<mac>`, mac = base64url
 * HMAC-SHA256 under the server secret of `deployment-signal\0<deployment_id>\0<expires>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a signal URL is valid when nothing shorter applies: 24 hours. */
export const SIGNAL_URL_LIFETIME_SECONDS = 24 * 3600;

/** The path of the public signal route (after the base URL). */
export const SIGNAL_URL_PATH = '/v1/signal/deployments';

/** What checking a signal URL found. */
export type SignalUrlCheck = 'valid' | 'expired' | 'invalid';

/** Issues and checks signal URLs under one secret. */
export class DeploymentSignalUrls {
  /**
   * @param secret the server secret
   * @param baseUrl the public base URL (known once the server listens), e.g. `http://127.0.0.1:8004`
   */
  constructor(
    private readonly secret: Buffer,
    private readonly baseUrl: () => string,
  ) {}

  /** The signature of a deployment's URL expiring at `expires` (unix seconds). */
  signature(deploymentId: string, expires: number): string {
    return createHmac('sha256', this.secret)
      .update(`deployment-signal\0${deploymentId}\0${expires}`)
      .digest('base64url');
  }

  /** The signal URL of a deployment, valid until `expires` (unix seconds). */
  url(deploymentId: string, expires: number): string {
    const base = this.baseUrl().replace(/\/+$/, '');
    return (
      `${base}${SIGNAL_URL_PATH}/${encodeURIComponent(deploymentId)}` +
      `?expires=${expires}&signature=${this.signature(deploymentId, expires)}`
    );
  }

  /** Checks the `expires` and `signature` query values of a request for `deploymentId` at time `now`. */
  check(deploymentId: string, expires: unknown, signature: unknown, now: Date = new Date()): SignalUrlCheck {
    if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string') {
      return 'invalid';
    }
    const expected = Buffer.from(this.signature(deploymentId, Number(expires)));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expires) * 1000 <= now.getTime() ? 'expired' : 'valid';
  }
}
