/**
 * The web dashboard in a real browser (Chromium through playwright-core) against a real `hearth server` with
 * identity: sign in, launch a stack from a template with a constrained parameter (a bad value is refused with
 * the constraint's message, a broken template is shown at its line:column), watch the nodes turn complete in the
 * graph, read an output, preview an update and apply it, delete; then the bad days: a lost event stream (the
 * server restarts) and an expired session; a software deployment applied by a real `hearth agent` process, its
 * output lines appearing live, then its outputs. Screenshots go to `test-results/dashboard/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, startHearth, type HearthProcess } from './helpers/hearth.js';

const CHROMIUM = process.env['HEARTH_CHROMIUM'] ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-results', 'dashboard');
const PASSWORD = 'dashboard-admin-pw';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`test/dashboard.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const TEMPLATE = `heat_template_version: 2021-04-16
description: Dashboard test stack
parameter_groups:
  - label: Sizing
    description: How big things are.
    parameters: [length]
parameters:
  length:
    type: number
    label: Password length
    description: Characters in the generated password.
    default: 12
    constraints:
      - range: { min: 8, max: 64 }
        description: The length must be between 8 and 64.
  secret:
    type: string
    hidden: true
    default: not-shown-anywhere
resources:
  password:
    type: OS::Heat::RandomString
    properties:
      length: { get_param: length }
  slow:
    type: OS::Heat::TestResource
    properties:
      value: { get_attr: [password, value] }
      wait_secs: 3
  group:
    type: OS::Heat::ResourceGroup
    depends_on: [slow]
    properties:
      count: 2
      resource_def:
        type: OS::Heat::TestResource
        properties: { value: member, wait_secs: 0.3 }
  greeting:
    type: OS::Heat::Value
    properties:
      value:
        str_replace:
          template: Hello, your password has $n characters.
          params: { $n: { get_param: length } }
outputs:
  greeting:
    description: The greeting.
    value: { get_attr: [greeting, value] }
`;

let hearth: HearthProcess;
let browser: Browser;
let page: Page;
let stackId = '';

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** A token (and its project's API endpoint) for checks made directly against the API. */
async function token(url: string): Promise<{ token: string; endpoint: string }> {
  const res = await fetch(`${url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', domain: { name: 'Default' }, password: PASSWORD } },
        },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { token: { project: { id: string } } };
  return { token: res.headers.get('x-subject-token')!, endpoint: `${url}/v1/${body.token.project.id}` };
}

/** A JSON call with a token. */
async function authed(
  method: string,
  url: string,
  auth: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-auth-token': auth },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function signIn(p: Page, base: string): Promise<void> {
  await p.goto(`${base}/`);
  await p.waitForSelector('#user');
  await p.fill('#user', 'admin');
  await p.fill('#password', PASSWORD);
  await p.fill('#project', 'admin');
  await p.click('button[type=submit]');
  await p.waitForSelector('.stack-list .toolbar');
}

async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

describe.skipIf(!haveChromium)('web dashboard in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) {
      throw new Error('dist/web is missing: run "npm run build" (npm test does) before this test');
    }
    mkdirSync(SHOTS, { recursive: true });
    hearth = await startHearth({ noauth: false, adminPassword: PASSWORD });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hearth?.stop();
  });

  it('sends a browser from / to the sign-in form and signs in with project credentials', async () => {
    await page.goto(`${hearth.url}/`);
    expect(page.url()).toBe(`${hearth.url}/dashboard/`);
    await page.waitForSelector('#user');
    await shot('01-sign-in');
    await page.fill('#user', 'admin');
    await page.fill('#password', 'wrong password');
    await page.fill('#project', 'admin');
    await page.click('button[type=submit]');
    await page.waitForSelector('.banner-error');
    expect(await page.textContent('.banner-error')).toContain('The user name, password or project is wrong.');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.stack-list .toolbar');
    expect(await page.textContent('header.top')).toContain('project admin');
    expect(await page.evaluate('sessionStorage.getItem("hearth.session")')).toContain('"token"');
    await shot('02-stacks');
  }, 30_000);

  it('shows a broken template at its line:column', async () => {
    await page.click('text=Launch stack');
    await page.fill('#template-text', 'heat_template_version: 2021-04-16\nresources:\n  a:\n    type: [\n');
    await page.waitForSelector('.problems .location');
    expect(await page.textContent('.problems .location')).toMatch(/^template\.yaml:\d+:\d+$/);
    expect(await page.$('.problems .line.marked')).not.toBeNull();
    await shot('03-broken-template');
  }, 30_000);

  it('launches from a template: the parameter form refuses a bad value with the constraint message', async () => {
    await page.fill('#stack-name', 'web-app');
    await page.fill('#template-text', TEMPLATE);
    await page.waitForSelector('[data-param=length] input');
    expect(await page.textContent('fieldset.params legend')).toBe('Sizing');
    expect(await page.getAttribute('[data-param=secret] input', 'type')).toBe('password');
    expect(await page.textContent('label[for=param-length]')).toContain('Password length');
    await page.fill('[data-param=length] input', '99');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-param=length] .field-error');
    expect(await page.textContent('[data-param=length] .field-error')).toBe(
      'The length must be between 8 and 64.',
    );
    expect(await page.getAttribute('[data-param=length] input', 'aria-invalid')).toBe('true');
    await shot('04-bad-parameter');
    const t = await token(hearth.url);
    expect((await authed('GET', `${t.endpoint}/stacks`, t.token)).body.stacks).toEqual([]);
    await page.fill('[data-param=length] input', '20');
    await page.click('button[type=submit]');
    await page.waitForSelector('.stack-page h1:text("web-app")');
    stackId = /#\/stacks\/web-app\/([^/]+)/.exec(page.url())![1]!;
  }, 30_000);

  it('watches the nodes turn complete in the topology graph, nested stack included', async () => {
    await page.waitForSelector('.graph-canvas [data-name=slow][data-status=CREATE_IN_PROGRESS]', {
      timeout: 10_000,
    });
    await shot('05-graph-in-progress');
    for (const name of ['password', 'slow', 'greeting', 'group']) {
      await page.waitForSelector(`.graph-canvas [data-name=${name}][data-status=CREATE_COMPLETE]`, {
        timeout: 20_000,
      });
    }
    await page.waitForSelector('.stack-status [data-status=CREATE_COMPLETE]');
    expect(await page.textContent('.live-indicator')).toContain('Live');
    await page.click('.graph-canvas [data-name=group]');
    await page.waitForSelector('#resource-title:text("group")');
    await page.click('text=Show nested resources in the graph');
    await page.waitForSelector('.graph-canvas [data-name="0"][data-status=CREATE_COMPLETE]');
    await page.waitForSelector('.graph-canvas [data-name="1"][data-status=CREATE_COMPLETE]');
    await page.click('.graph-canvas [data-name=slow]');
    await page.waitForSelector('#resource-title:text("slow")');
    await page.waitForSelector('.panel pre.code:has-text("wait_secs")');
    expect(await page.textContent('.panel pre.code')).toContain('"wait_secs": 3');
    await shot('06-graph-complete');
  }, 40_000);

  it('reads an output, and shows hidden parameters masked', async () => {
    await page.click('role=tab[name=Outputs]');
    await page.waitForSelector('[data-output=greeting] [data-value]');
    expect(await page.textContent('[data-output=greeting] [data-value]')).toBe(
      'Hello, your password has 20 characters.',
    );
    await shot('07-outputs');
    await page.click('role=tab[name=Parameters]');
    await page.waitForSelector('[data-parameter=secret]');
    expect(await page.textContent('[data-parameter=secret]')).toContain('hidden');
    expect(await page.content()).not.toContain('not-shown-anywhere');
  }, 20_000);

  it('previews an update (property-level diff) before confirming it', async () => {
    await page.click('text=Update…');
    await page.waitForSelector('[data-param=length] input');
    expect(await page.inputValue('[data-param=length] input')).toBe('20');
    await page.fill('[data-param=length] input', '24');
    await page.click('text=Preview changes');
    await page.waitForSelector('.preview');
    expect(await page.textContent('[data-count=replaced]')).toBe('1 replaced');
    const row = await page.textContent('[data-change=password]');
    expect(row).toContain('length');
    expect(row).toContain('20');
    expect(row).toContain('24');
    await shot('08-update-preview');
    await page.click('text=Confirm update');
    await page.waitForSelector('.stack-status [data-status=UPDATE_COMPLETE]', { timeout: 20_000 });
    await page.click('role=tab[name=Outputs]');
    await page.waitForSelector('[data-output=greeting] [data-value]:text("24 characters")');
  }, 40_000);

  it('deletes only after confirmation, and says so when the stack is gone', async () => {
    await page.click('role=tab[name=Topology]');
    await page.click('text=Delete…');
    await page.waitForSelector('dialog[open]');
    await shot('09-delete-confirmation');
    await page.click('dialog >> role=button[name=Cancel]');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    expect(await page.textContent('.stack-status')).not.toContain('DELETE');
    await page.click('text=Delete…');
    await page.click('dialog >> role=button[name="Delete stack"]');
    await page.waitForSelector('text=This stack was deleted.', { timeout: 20_000 });
    expect(await page.textContent('.stack-status')).toContain('last known');
    await shot('10-deleted');
    const t = await token(hearth.url);
    const shown = await authed('GET', `${t.endpoint}/stacks/web-app/${stackId}`, t.token);
    expect(shown.status === 404 || shown.body.stack.stack_status === 'DELETE_COMPLETE').toBe(true);
  }, 40_000);
});

describe.skipIf(!haveChromium)('web dashboard on bad days', () => {
  let server: HearthProcess;
  let b: Browser;
  let p: Page;
  beforeAll(async () => {
    server = await startHearth({ noauth: false, adminPassword: PASSWORD, extraArgs: ['--token-ttl', '20'] });
    b = await launchBrowser();
    p = await b.newPage({ viewport: { width: 1300, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('says the event stream was lost, shows the status as last known, and recovers when the server is back', async () => {
    const signedInAt = Date.now();
    await signIn(p, server.url);
    const t = await token(server.url);
    const created = (
      await authed('POST', `${t.endpoint}/stacks`, t.token, {
        stack_name: 'steady',
        template: 'heat_template_version: 2021-04-16\nresources:\n  n: { type: OS::Heat::None }\n',
      })
    ).body;
    // The stack list shows it (reloaded every few seconds); open it from there.
    await p.waitForSelector('[data-stack=steady] a', { timeout: 10_000 });
    await p.click('[data-stack=steady] a');
    await p.waitForSelector('.live-live');
    await server.stop();
    await p.waitForSelector('text=Live updates are interrupted', { timeout: 10_000 });
    expect(await p.textContent('.stack-status')).toContain('last known');
    await p.screenshot({ path: join(SHOTS, '11-stream-lost.png') });
    server = await startHearth({
      noauth: false,
      adminPassword: PASSWORD,
      dataDir: server.dataDir,
      port: server.port,
      extraArgs: ['--token-ttl', '20'],
    });
    await p.click('text=Reconnect now');
    await p.waitForSelector('.live-live', { timeout: 15_000 });
    expect(await p.textContent('.stack-status')).not.toContain('last known');
    expect(p.url()).toContain(created.stack.id);

    // The token lives 20 s: then the dashboard is back at the sign-in form, saying why.
    await p.waitForSelector('text=Your session expired', {
      timeout: Math.max(1000, signedInAt + 30_000 - Date.now()),
    });
    expect(await p.evaluate('sessionStorage.getItem("hearth.session")')).toBeNull();
    await p.screenshot({ path: join(SHOTS, '12-session-expired.png') });
  }, 60_000);
});

/** A DeployedServer and a script that prints a line every 0.3 s: its output is streamed by the agent. */
const DEPLOY_TEMPLATE = `heat_template_version: 2021-04-16
description: A deployment with live output
resources:
  server:
    type: OS::Heat::DeployedServer
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{ name: who }]
      outputs: [{ name: result }]
      config: |
        #!/bin/sh
        for i in 1 2 3 4 5 6 7 8; do echo "step $i of 8 for $who"; sleep 0.3; done
        echo "warning: nothing is wrong" >&2
        echo "configured $who" > "$heat_outputs_path/result"
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: { get_resource: config }
      server: { get_resource: server }
      input_values: { who: web }
outputs:
  agent_config:
    value: { get_attr: [server, os_collect_config] }
`;

describe.skipIf(!haveChromium)('web dashboard with software deployments', () => {
  let server: HearthProcess;
  let b: Browser;
  let p: Page;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  beforeAll(async () => {
    server = await startHearth({ noauth: false, adminPassword: PASSWORD });
    b = await launchBrowser();
    p = await b.newPage({ viewport: { width: 1400, height: 950 } });
  }, 60_000);
  afterAll(async () => {
    if (agent && agent.exitCode === null && agent.signalCode === null) agent.kill('SIGKILL');
    await b?.close();
    await server?.stop();
  });

  it('shows a deployment’s output lines live while a real agent runs it, then its outputs', async () => {
    await signIn(p, server.url);
    const t = await token(server.url);
    const created = await authed('POST', `${t.endpoint}/stacks`, t.token, {
      stack_name: 'deployed',
      template: DEPLOY_TEMPLATE,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id: string = created.body.stack.id;
    await p.goto(`${server.url}/dashboard/#/stacks/deployed/${id}/deployments`);
    await p.waitForSelector('role=tab[name=Deployments]');
    // Waiting for a host: the deployment is IN_PROGRESS with no output yet.
    await p.waitForSelector('[data-deployment] [data-deployment-status=IN_PROGRESS]', { timeout: 15_000 });
    expect(await p.textContent('.deployment-card')).toContain('No output yet.');

    // The host: the DeployedServer's os_collect_config (with its credential) and a real agent process.
    let config: unknown;
    for (const deadline = Date.now() + 15_000; !config && Date.now() < deadline;) {
      const out = await authed('GET', `${t.endpoint}/stacks/deployed/${id}/outputs/agent_config`, t.token);
      config = out.body?.output?.output_value;
      if (!config) await new Promise((r) => setTimeout(r, 100));
    }
    expect(config).toBeTruthy();
    const dir = mkdtempSync(join(tmpdir(), 'hearth-dashboard-agent-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    agent = spawn(
      process.execPath,
      [BIN, 'agent', '--config', join(dir, 'config.json'), '--state-dir', join(dir, 'state')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    agent.stdout?.on('data', (d: Buffer) => (agentLog += d.toString()));
    agent.stderr?.on('data', (d: Buffer) => (agentLog += d.toString()));

    // Lines appear while the deployment is still running: some are shown before the last one is printed.
    const live = '[data-live-output]';
    await p.waitForSelector(`${live}:has-text("step 2 of 8 for web")`, { timeout: 20_000 });
    const partial = (await p.textContent(live)) ?? '';
    expect(partial).not.toContain('step 8 of 8');
    expect(await p.getAttribute('[data-deployment-status]', 'data-deployment-status')).toBe('IN_PROGRESS');
    await p.screenshot({ path: join(SHOTS, '13-deployment-live-output.png'), fullPage: true });

    // Then it completes: every line, the status, and the outputs (stdout, stderr, status code, declared).
    await p.waitForSelector('[data-deployment-status=COMPLETE]', { timeout: 20_000 });
    const lines = ((await p.textContent(live)) ?? '').trim().split('\n');
    expect(lines).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `step ${i} of 8 for web`));
    expect(await p.textContent('[data-output=deploy_stdout]')).toContain('step 8 of 8 for web');
    expect(await p.textContent('[data-output=deploy_stderr]')).toContain('warning: nothing is wrong');
    expect(await p.textContent('[data-output=deploy_status_code] pre')).toBe('0');
    expect(await p.textContent('[data-output=result] pre')).toBe('configured web\n');
    const card = (await p.textContent('.deployment-card')) ?? '';
    expect(card).toContain('server'); // the DeployedServer resource names the server
    expect(card).toContain('config'); // the config's name
    expect(card).toContain('group script');
    expect(card).toContain('CREATE');
    await p.waitForSelector('.stack-status [data-status=CREATE_COMPLETE]', { timeout: 15_000 });
    await p.screenshot({ path: join(SHOTS, '14-deployment-complete.png'), fullPage: true });

    // The same from the graph: the deployment node opens its details.
    await p.click('role=tab[name=Topology]');
    await p.click('.graph-canvas [data-name=deploy]');
    await p.waitForSelector('.panel [data-deployment-status=COMPLETE]');
    expect(await p.textContent('.panel [data-live-output]')).toContain('step 8 of 8 for web');
    expect(await p.textContent('.panel [data-output=result] pre')).toBe('configured web\n');
    await p.screenshot({ path: join(SHOTS, '15-deployment-in-graph.png'), fullPage: true });
    // The host credential never reaches the page.
    const credential = (config as { hearth: { token: string } }).hearth.token;
    expect(await p.content()).not.toContain(credential);
    expect(agentLog).not.toContain(credential);
  }, 90_000);

  it('builds the launch form for a template whose parameters have no default (validate answers 200)', async () => {
    await p.goto(`${server.url}/dashboard/#/launch`);
    await p.waitForSelector('#template-text');
    await p.fill('#stack-name', 'no-defaults');
    await p.fill(
      '#template-text',
      'heat_template_version: 2021-04-16\nparameters:\n  who: { type: string, label: Who }\n' +
        '  count: { type: number, constraints: [{ range: { min: 1, max: 3 } }] }\nresources:\n' +
        '  v: { type: OS::Heat::Value, properties: { type: number, value: { get_param: count } } }\n' +
        '  w: { type: OS::Heat::Value, properties: { value: { get_param: who } } }\n',
    );
    await p.waitForSelector('[data-param=count] input');
    expect(await p.textContent('label[for=param-who]')).toContain('(required)');
    expect(await p.$('.problems .location')).toBeNull();
    await p.click('button[type=submit]');
    await p.waitForSelector('[data-param=who] .field-error');
    expect(await p.textContent('[data-param=who] .field-error')).toContain('A value is required');
    await p.fill('[data-param=who] input', 'me');
    await p.fill('[data-param=count] input', '2');
    await p.click('button[type=submit]');
    await p.waitForSelector('.stack-page h1:text("no-defaults")');
    await p.waitForSelector('.stack-status [data-status=CREATE_COMPLETE]', { timeout: 15_000 });
  }, 30_000);
});
