/**
 * Every limit of `hearth server` against a real server process started with small limits (identity on, so the
 * stacks-per-project limit applies to a member and not to an admin, as in Heat).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HearthProcess } from './helpers/hearth.js';
import {
  ADMIN_PASSWORD,
  Keystone,
  call,
  settled,
  startSecureHearth,
  type SignedIn,
} from './helpers/authz.js';

const LIMITS = {
  stacks: 2,
  resources: 3,
  depth: 1,
  templateBytes: 600,
  bodyBytes: 3000,
  events: 5,
};

let server: HearthProcess;
let admin: SignedIn;
let member: SignedIn;

function none(n: number): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, { type: 'OS::Heat::None' }]));
}

function template(resources: Record<string, unknown>): Record<string, unknown> {
  return { heat_template_version: '2018-08-31', resources };
}

function limitFault(message: string) {
  return {
    code: 400,
    title: 'Bad Request',
    explanation:
      'The server could not comply with the request since it is either malformed or otherwise incorrect.',
    error: { type: 'RequestLimitExceeded', message, traceback: null },
  };
}

async function create(who: SignedIn, project: string, name: string, body: Record<string, unknown>) {
  return call('POST', `${server.url}/v1/${project}/stacks`, {
    token: who.token,
    body: { stack_name: name, ...body },
  });
}

/** Creates a stack and waits for it; returns its final body and canonical URL. */
async function createSettled(who: SignedIn, name: string, body: Record<string, unknown>) {
  const r = await create(who, who.projectId, name, body);
  expect(r.status).toBe(201);
  const url = String(r.body.stack.links[0].href);
  return { url, stack: await settled(url, who.token) };
}

beforeAll(async () => {
  server = await startSecureHearth([
    '--max-stacks-per-project',
    String(LIMITS.stacks),
    '--max-resources-per-stack',
    String(LIMITS.resources),
    '--max-nested-depth',
    String(LIMITS.depth),
    '--max-template-size',
    String(LIMITS.templateBytes),
    '--max-body-size',
    String(LIMITS.bodyBytes),
    '--max-events-per-stack',
    String(LIMITS.events),
  ]);
  const keystone = new Keystone(server.url);
  admin = await keystone.signIn('admin', ADMIN_PASSWORD, 'admin');
  const project = await keystone.createProject(admin.token, 'quota-project');
  await keystone.createUser(admin.token, 'quota-member', 'member-pw-123', project, 'member');
  member = await keystone.signIn('quota-member', 'member-pw-123', 'quota-project');
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('limits of a real server', () => {
  it('refuses a stack with more resources than --max-resources-per-stack, and a tree that grows beyond it', async () => {
    const r = await create(admin, admin.projectId, 'too-many', {
      template: template(none(LIMITS.resources + 1)),
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual(limitFault('Request limit exceeded: Maximum resources per stack exceeded.'));
    const ok = await createSettled(admin, 'just-enough', { template: template(none(LIMITS.resources)) });
    expect(ok.stack.stack_status).toBe('CREATE_COMPLETE');
    const tree = await createSettled(admin, 'tree', {
      template: template({
        a: { type: 'OS::Heat::None' },
        child: { type: 'OS::Heat::Stack', properties: { template: template(none(LIMITS.resources)) } },
      }),
    });
    expect(tree.stack.stack_status).toBe('CREATE_FAILED');
    expect(tree.stack.stack_status_reason).toContain('Maximum resources per stack exceeded');
    for (const s of [ok, tree])
      expect((await call('DELETE', s.url, { token: admin.token })).status).toBe(204);
  });

  it('fails a stack nested deeper than --max-nested-depth', async () => {
    const inner = template({ leaf: { type: 'OS::Heat::None' } });
    const middle = template({ inner: { type: 'OS::Heat::Stack', properties: { template: inner } } });
    const deep = await createSettled(admin, 'deep', {
      template: template({ middle: { type: 'OS::Heat::Stack', properties: { template: middle } } }),
    });
    expect(deep.stack.stack_status).toBe('CREATE_FAILED');
    expect(deep.stack.stack_status_reason).toContain(`Recursion depth exceeds ${LIMITS.depth}.`);
    expect((await call('DELETE', deep.url, { token: admin.token })).status).toBe(204);
  });

  it('refuses a template text larger than --max-template-size, naming both sizes', async () => {
    const text = `heat_template_version: 2018-08-31\ndescription: ${'x'.repeat(LIMITS.templateBytes)}\n`;
    const size = Buffer.byteLength(text);
    const r = await create(admin, admin.projectId, 'big-template', { template: text });
    expect(r.status).toBe(400);
    expect(r.body).toEqual(
      limitFault(
        `Request limit exceeded: Template size (${size} bytes) exceeds maximum allowed size (${LIMITS.templateBytes} bytes).`,
      ),
    );
  });

  it('refuses a body larger than --max-body-size, naming both sizes', async () => {
    const body = {
      stack_name: 'big-body',
      template: template(none(1)),
      parameters: { pad: 'y'.repeat(LIMITS.bodyBytes) },
    };
    const size = Buffer.byteLength(JSON.stringify(body));
    const r = await call('POST', `${server.url}/v1/${admin.projectId}/stacks`, { token: admin.token, body });
    expect(r.status).toBe(400);
    expect(r.body).toEqual(
      limitFault(
        `Request limit exceeded: JSON body size (${size} bytes) exceeds maximum allowed size (${LIMITS.bodyBytes} bytes).`,
      ),
    );
  });

  it('keeps at most --max-events-per-stack events, the newest, purging the oldest in batches', async () => {
    const s = await createSettled(admin, 'chatty', { template: template(none(LIMITS.resources)) });
    const events = async () =>
      (await call('GET', `${s.url}/events?sort_dir=asc`, { token: admin.token })).body.events as {
        resource_name: string;
        resource_status: string;
      }[];
    const afterCreate = await events();
    // 8 events (the stack's 2, each resource's 2) less one batch of 5: the 3 newest.
    expect(afterCreate.length).toBe(3);
    expect(afterCreate.at(-1)).toMatchObject({ resource_name: 'chatty', resource_status: 'CREATE_COMPLETE' });
    const update = await call('PATCH', s.url, {
      token: admin.token,
      body: { existing: true, template: template(none(LIMITS.resources - 1)) },
    });
    expect(update.status).toBe(202);
    expect((await settled(s.url, admin.token)).stack_status).toBe('UPDATE_COMPLETE');
    const afterUpdate = await events();
    expect(afterUpdate.length).toBeGreaterThan(0);
    expect(afterUpdate.length).toBeLessThanOrEqual(LIMITS.events);
    expect(afterUpdate.at(-1)).toMatchObject({ resource_name: 'chatty', resource_status: 'UPDATE_COMPLETE' });
    expect((await call('DELETE', s.url, { token: admin.token })).status).toBe(204);
  });

  it('holds a member to --max-stacks-per-project but not an admin', async () => {
    for (let i = 0; i < LIMITS.stacks; i++) {
      expect(
        (await create(member, member.projectId, `mine-${i}`, { template: template(none(1)) })).status,
      ).toBe(201);
    }
    const refused = await create(member, member.projectId, 'one-too-many', { template: template(none(1)) });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(
      limitFault(
        `Request limit exceeded: You have reached the maximum stacks per tenant, ${LIMITS.stacks}. Please delete some stacks.`,
      ),
    );
    const byAdmin = await create(admin, member.projectId, 'admins-are-exempt', {
      template: template(none(1)),
    });
    expect(byAdmin.status).toBe(201);
  });
});
