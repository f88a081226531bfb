import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from './app.js';
import { registerDashboard, wantsHtml } from './dashboard.js';
import { fakeEngine } from './testing/fake-engine.js';

let root: string;
const apps: FastifyInstance[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hearth-dashboard-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title>');
  const script = 'console.log("hearth");'.repeat(100);
  writeFileSync(join(root, 'assets', 'index-abc.js'), script);
  writeFileSync(join(root, 'assets', 'index-abc.js.gz'), gzipSync(script));
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  rmSync(root, { recursive: true, force: true });
});

function dashboardApp(options: { insecureNoauth: boolean; root?: string }): FastifyInstance {
  const app = Fastify();
  registerDashboard(app, { root, ...options });
  apps.push(app);
  return app;
}

describe('dashboard routes', () => {
  it('serves the page with a strict content security policy and no caching of index.html', async () => {
    const res = await dashboardApp({ insecureNoauth: true }).inject({ url: '/dashboard/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<title>Hearth</title>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets pre-compressed and cacheable forever', async () => {
    const res = await dashboardApp({ insecureNoauth: true }).inject({
      url: '/dashboard/assets/index-abc.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('says how to sign in: noauth or keystone', async () => {
    const noauth = await dashboardApp({ insecureNoauth: true }).inject({ url: '/dashboard/config.json' });
    expect(noauth.json()).toEqual({ auth: 'noauth', identityPath: '/v3' });
    const keystone = await dashboardApp({ insecureNoauth: false }).inject({ url: '/dashboard/config.json' });
    expect(keystone.json()).toEqual({ auth: 'keystone', identityPath: '/v3' });
  });

  it('redirects /dashboard to /dashboard/', async () => {
    const res = await dashboardApp({ insecureNoauth: true }).inject({ url: '/dashboard' });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/dashboard/');
  });

  it('fails with a clear 503 when the dashboard is not built', async () => {
    const res = await dashboardApp({ insecureNoauth: true, root: join(root, 'missing') }).inject({
      url: '/dashboard/',
    });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
  });
});

describe('the root URL', () => {
  it('sends browsers to the dashboard and keeps the version document for API clients', async () => {
    const app = buildApi(fakeEngine(), { insecureNoauth: true });
    apps.push(app);
    const browser = await app.inject({
      url: '/',
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(browser.statusCode).toBe(302);
    expect(browser.headers.location).toBe('/dashboard/');
    for (const accept of [undefined, 'application/json', '*/*']) {
      const api = await app.inject({ url: '/', ...(accept ? { headers: { accept } } : {}) });
      expect(api.statusCode).toBe(300);
      expect(api.json().versions[0].id).toBe('v1.0');
    }
    const post = await app.inject({ method: 'POST', url: '/', headers: { accept: 'text/html' } });
    expect(post.statusCode).not.toBe(302);
  });

  it('recognises browsers by their Accept header', () => {
    expect(wantsHtml('text/html,*/*')).toBe(true);
    expect(wantsHtml('application/json, text/html;q=0.1')).toBe(false);
    expect(wantsHtml('application/json')).toBe(false);
    expect(wantsHtml(undefined)).toBe(false);
  });
});
