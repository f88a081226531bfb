/**
 * `PUT /v1/signal/deployments/{deployment_id}?expires=…&signature=…` — the signed, expiring, single-purpose signal
 * URL of one deployment (Hearth's TEMP_URL_SIGNAL, the idea of Swift's TempURL without Swift). It needs no other
 * credential: the signature proves the URL was issued for that deployment, `expires` bounds its life. The body is
 * the host's signal (`deploy_stdout`, `deploy_stderr`, `deploy_status_code`, outputs).
 *
 * Answers: 200 with the deployment's new status; 403 for a bad signature (tampered, or issued for another
 * deployment) or an expired URL; 404 for a deployment that no longer exists; 409 when the deployment is not
 * waiting for a signal (nothing changes).
 */
import type { FastifyInstance } from 'fastify';
import type { SoftwareDeployer } from '../../engine/software/deployer.js';
import { HeatError } from '../../template/errors.js';
import { SIGNAL_URL_ROUTE } from '../auth.js';
import { param, query, sendJson } from '../context.js';
import { ApiFault } from '../faults.js';
import { single } from '../params.js';
import { route } from '../route-table.js';
import { operation } from '../schemas/operation.js';
import { openMap, queryText, querystring } from '../schemas/primitives.js';

/** The operation (schema and OpenAPI entry) of the signal URL route. */
const signalUrlOperation = operation({
  operationId: 'signalDeploymentByUrl',
  summary: 'Signal a deployment through its signed signal URL (TEMP_URL_SIGNAL)',
  tag: 'software-deployments',
  url: SIGNAL_URL_ROUTE,
  public: true,
  pathParams: { deploymentId: 'The deployment the URL was issued for.' },
  querystring: querystring({
    expires: queryText('When the URL stops being valid (Unix seconds).'),
    signature: queryText("The URL's signature (HMAC over the deployment id and expiry)."),
  }),
  body: openMap('deploy_stdout, deploy_stderr, deploy_status_code and the declared outputs.'),
  responses: {
    200: { type: 'object', additionalProperties: true, description: "The deployment's new status" },
  },
});

/** Registers the signal URL route (answering 503 when the server has no software deployer). */
export function registerSignalUrlRoutes(app: FastifyInstance, deployer: SoftwareDeployer | undefined): void {
  route(
    app,
    SIGNAL_URL_ROUTE,
    {
      PUT: async (req, reply) => {
        if (!deployer) {
          throw new ApiFault(
            503,
            'HTTPServiceUnavailable',
            'Software deployments are not available on this server.',
          );
        }
        const id = param(req, 'deploymentId');
        const q = query(req);
        const check = deployer.signalUrls.check(id, single(q, 'expires'), single(q, 'signature'));
        if (check === 'invalid') {
          throw new HeatError(
            'Forbidden',
            `The signature of this signal URL does not match deployment ${id}: the URL was changed, or it was ` +
              'issued for another deployment. Use the deploy_signal_id input of the deployment exactly as given.',
          );
        }
        if (check === 'expired') {
          const at = new Date(Number(single(q, 'expires')) * 1000).toISOString();
          throw new HeatError('Forbidden', `This signal URL of deployment ${id} expired at ${at}.`);
        }
        const d = await deployer.signalByUrl(id, req.body ?? {});
        return sendJson(reply, 200, {
          deployment: { id: d.id, status: d.status, status_reason: d.statusReason },
        });
      },
    },
    { PUT: signalUrlOperation },
  );
}
