/**
 * Real-client compatibility of the software config API: Debian's `openstack software config|deployment …`
 * (python3-heatclient) against a real `hearth server --insecure-noauth` (`--os-auth-type none`). `software config
 * create` is left out: heatclient first validates a template with an `OS::Heat::SoftwareConfig` resource, a type
 * Hearth gains with the software deployment resources.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startHearth, type HearthProcess } from './helpers/hearth.js';

const OPENSTACK = '/usr/bin/openstack';

let server: HearthProcess;
let home: string;

/** Runs `openstack ARGS` against the noauth endpoint of `project`. */
function openstack(
  args: string[],
  project = 'project-a',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      OPENSTACK,
      ['--os-auth-type', 'none', '--os-endpoint', server.endpoint(project), ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

// Each `openstack` run costs 1–5 s of Python start-up on a loaded machine: generous per-test time.
describe.skipIf(!existsSync(OPENSTACK))(
  'openstack software config|deployment against Hearth',
  { timeout: 120_000 },
  () => {
    let sourceId: string;
    let deploymentId: string;
    let derivedId: string;

    beforeAll(async () => {
      server = await startHearth();
      home = mkdtempSync(join(tmpdir(), 'hearth-osc-software-'));
      const res = await api('POST', `${server.endpoint('project-a')}/software_configs`, {
        name: 'source',
        group: 'script',
        config: 'echo "$greeting"',
        inputs: [{ name: 'greeting', default: 'hello' }],
        outputs: [{ name: 'result' }],
      });
      sourceId = res.body.software_config.id;
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('lists and shows configs', async () => {
      const list = await openstack(['software', 'config', 'list', '-f', 'json']);
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([
        { id: sourceId, name: 'source', group: 'script', creation_time: expect.stringMatching(/Z$/) },
      ]);
      const show = await openstack(['software', 'config', 'show', sourceId, '-f', 'json']);
      expect(JSON.parse(show.stdout)).toMatchObject({
        id: sourceId,
        config: 'echo "$greeting"',
        inputs: [{ name: 'greeting', type: 'String', default: 'hello' }],
        outputs: [{ name: 'result', type: 'String', error_output: false }],
        options: null,
      });
      const missing = await openstack(['software', 'config', 'show', 'nope']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('Configuration not found: nope');
    });

    it('creates a deployment (NO_SIGNAL) whose derived config the metadata serves', async () => {
      const res = await openstack([
        'software',
        'deployment',
        'create',
        'greet',
        '--config',
        sourceId,
        '--server',
        'srv-1',
        '--signal-transport',
        'NO_SIGNAL',
        '--input-value',
        'greeting=hi',
        '-f',
        'json',
      ]);
      expect(res.code, res.stderr).toBe(0);
      const created = JSON.parse(res.stdout);
      expect(created).toMatchObject({ server_id: 'srv-1', action: 'UPDATE', status: 'IN_PROGRESS' });
      deploymentId = created.id;
      derivedId = created.config_id;
      const metadata = await openstack(['software', 'deployment', 'metadata', 'show', 'srv-1']);
      const configs = JSON.parse(metadata.stdout);
      expect(configs.map((c: { id: string; name: string }) => [c.id, c.name])).toEqual([
        [derivedId, 'greet'],
      ]);
      expect(configs[0].inputs[0]).toEqual({
        name: 'greeting',
        type: 'String',
        default: 'hello',
        value: 'hi',
      });
      const list = await openstack(['software', 'deployment', 'list', '--server', 'srv-1', '-f', 'json']);
      expect(JSON.parse(list.stdout)).toEqual([
        {
          id: deploymentId,
          config_id: derivedId,
          server_id: 'srv-1',
          action: 'UPDATE',
          status: 'IN_PROGRESS',
        },
      ]);
    });

    it('shows the outputs a host reported', async () => {
      await api('PUT', `${server.endpoint('project-a')}/software_deployments/${deploymentId}`, {
        output_values: { result: 'ok', deploy_stdout: 'hi\n', deploy_status_code: 0 },
        status: 'COMPLETE',
        status_reason: 'Outputs received',
      });
      const one = await openstack(['software', 'deployment', 'output', 'show', deploymentId, 'result']);
      expect(one.stdout).toBe('output_value:\n\n  result: ok\n');
      const show = await openstack(['software', 'deployment', 'show', deploymentId, '--long', '-f', 'json']);
      expect(JSON.parse(show.stdout)).toMatchObject({
        status: 'COMPLETE',
        status_reason: 'Outputs received',
        updated_time: expect.stringMatching(/Z$/),
        output_values: { result: 'ok', deploy_stdout: 'hi\n', deploy_status_code: 0 },
      });
    });

    it("keeps another project's deployments hidden, and deletes the deployment with its derived config", async () => {
      const foreign = await openstack(['software', 'deployment', 'show', deploymentId], 'project-b');
      expect(foreign.code).toBe(1);
      expect(foreign.stderr).toContain(`Software Deployment not found: ${deploymentId}`);
      const del = await openstack(['software', 'deployment', 'delete', deploymentId]);
      expect(del.code, del.stderr).toBe(0);
      expect((await api('GET', `${server.endpoint('project-a')}/software_configs/${derivedId}`)).status).toBe(
        404,
      );
      expect((await api('GET', `${server.endpoint('project-a')}/software_configs/${sourceId}`)).status).toBe(
        200,
      );
    });
  },
);
