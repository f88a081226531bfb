/**
 * Work resumed at startup builds signal URLs on the address the server listens at: the real server
 * (`startServer`) is stopped while a stack waits, then started again on another port, and the deployment the
 * resumed create stores carries that port (with a fixed port and with port 0).
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/start.js';

const P = 'proj';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

async function json(server: RunningServer, path: string): Promise<Record<string, unknown>> {
  const r = await fetch(`${server.url}/v1/${P}${path}`);
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, unknown>;
}

/** The signal URL of the first deployment IN_PROGRESS, once there is one. */
async function signalUrl(server: RunningServer): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const list = (await json(server, '/software_deployments'))['software_deployments'] as {
      status: string;
      config_id: string;
    }[];
    const d = list.find((x) => x.status === 'IN_PROGRESS');
    if (d) {
      const config = (await json(server, `/software_configs/${d.config_id}`))['software_config'] as {
        inputs: { name: string; value: unknown }[];
      };
      return String(config.inputs.find((x) => x.name === 'deploy_signal_id')?.value);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no deployment in progress');
}

const template = {
  heat_template_version: '2021-04-16',
  resources: {
    server: { type: 'OS::Heat::DeployedServer' },
    slow: { type: 'OS::Heat::TestResource', properties: { wait_secs: 1 } },
    config: { type: 'OS::Heat::SoftwareConfig', properties: { config: 'x' } },
    deploy: {
      type: 'OS::Heat::SoftwareDeployment',
      depends_on: ['slow'],
      properties: {
        config: { get_resource: 'config' },
        server: { get_resource: 'server' },
        signal_transport: 'TEMP_URL_SIGNAL',
      },
    },
  },
};

describe('signal URLs of work resumed at startup', () => {
  for (const mode of ['a fixed port', 'port 0'] as const) {
    it(`name the listen address with ${mode}`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'hearth-resume-url-'));
      const first = await startServer({ listen: '127.0.0.1:0', dataDir, insecureNoauth: true });
      await first.engine.createStack(P, { stackName: 'resumed', template });
      await new Promise((r) => setTimeout(r, 200));
      await first.close();
      const port = mode === 'port 0' ? 0 : await freePort();
      const second = await startServer({ listen: `127.0.0.1:${port}`, dataDir, insecureNoauth: true });
      try {
        const url = new URL(await signalUrl(second));
        expect(`${url.protocol}//${url.host}`).toBe(second.url);
        expect(url.pathname).toMatch(/^\/v1\/signal\/deployments\//);
      } finally {
        await second.close();
      }
    });
  }
});
