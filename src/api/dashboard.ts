/**
 * The web dashboard: its static files (built into `dist/web/` by `npm run build`) at `/dashboard/`, its
 * configuration at `/dashboard/config.json`, and the browser redirect of `/` (a request for `/` that accepts
 * `text/html` is sent to `/dashboard/`; API clients asking `/` still get Heat's version document).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { describePluginRoutes } from './openapi.js';
import { dashboardOperations } from './schemas/extensions.js';

/** URL prefix of the dashboard. */
export const DASHBOARD_PREFIX = '/dashboard/';

/** Options of {@link registerDashboard}. */
export interface DashboardOptions {
  /** The API trusts the URL tenant: the sign-in form then asks only for a project. */
  insecureNoauth: boolean;
  /** Directory of the built dashboard; default `dist/web` of this installation. */
  root?: string;
}

/** What the dashboard reads at start (`/dashboard/config.json`). */
export interface DashboardConfig {
  /** `keystone`: sign in at `/v3/auth/tokens`; `noauth`: the server trusts the project in the URL. */
  auth: 'keystone' | 'noauth';
  /** Path of the identity API. */
  identityPath: string;
}

/**
 * Policy of the dashboard's pages: only its own scripts and styles, no framing, no referrer (tokens live in
 * sessionStorage, so script injection is what this guards against).
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** The built dashboard beside the compiled server (`dist/api` → `dist/web`), or from the sources' checkout. */
export function defaultDashboardRoot(): string {
  const here = import.meta.dirname;
  const compiled = resolve(here, '..', 'web');
  return existsSync(resolve(compiled, 'index.html')) ? compiled : resolve(here, '..', '..', 'dist', 'web');
}

/** True when a request for `/` comes from a browser: HTML is the first type it accepts. */
export function wantsHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',')[0]!.trim().toLowerCase().startsWith('text/html');
}

function applySecurityHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
}

/** Registers the dashboard's routes and the browser redirect of `/`. */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions): void {
  const root = options.root ?? defaultDashboardRoot();
  describePluginRoutes(app, dashboardOperations);
  const config: DashboardConfig = {
    auth: options.insecureNoauth ? 'noauth' : 'keystone',
    identityPath: '/v3',
  };

  app.addHook('onRequest', async (req, reply) => {
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      /^\/(\?|$)/.test(req.url) &&
      wantsHtml(req.headers.accept)
    ) {
      return reply.redirect(DASHBOARD_PREFIX, 302);
    }
    return undefined;
  });
  app.get('/dashboard', async (_req, reply) => reply.redirect(DASHBOARD_PREFIX, 301));
  app.get(`${DASHBOARD_PREFIX}config.json`, async (_req, reply) =>
    reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(config),
  );

  if (!existsSync(resolve(root, 'index.html'))) {
    const notBuilt = async (_req: unknown, reply: FastifyReply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The dashboard is not built (no ${resolve(root, 'index.html')}): run "npm run build".\n`);
    app.get(DASHBOARD_PREFIX, notBuilt);
    app.get(`${DASHBOARD_PREFIX}*`, notBuilt);
    return;
  }
  void app.register(fastifyStatic, {
    root,
    prefix: DASHBOARD_PREFIX,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => {
      const hashed = path.startsWith(resolve(root, 'assets'));
      void reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      applySecurityHeaders(reply);
    },
  });
}
