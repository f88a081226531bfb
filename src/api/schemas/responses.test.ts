import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../app.js';
import { fakeEngine } from '../testing/fake-engine.js';
import { registerComponents } from './components.js';
import { AJV_OPTIONS } from './validation.js';

/** One answer of the API with the schema its operation documents for that status. */
interface Answer {
  operationId: string;
  request: string;
  status: number;
  body: unknown;
  schema: object | undefined;
}

let app: FastifyInstance;
/** operationId → tag, of every documented operation. */
let documented: Map<string, string>;
const answers: Answer[] = [];
const T = { heat_template_version: '2018-08-31', outputs: { out: { value: 42 } } };

/** The documented schema of an answer: its status, else `2XX`-style, else `default`. */
function schemaFor(responses: Record<string, object> | undefined, status: number): object | undefined {
  if (!responses) return undefined;
  return (
    responses[String(status)] ??
    responses[`${String(status)[0]}xx`] ??
    responses[`${String(status)[0]}XX`] ??
    responses.default
  );
}

async function call(
  options: InjectOptions,
): Promise<{ status: number; json: () => Record<string, unknown> }> {
  const res = await app.inject(options);
  return { status: res.statusCode, json: () => res.json() };
}

beforeAll(async () => {
  app = buildApi(fakeEngine(), { insecureNoauth: true, enableAbandon: true, enableAdopt: true });
  app.addHook('onSend', async (req, reply, payload) => {
    const schema = req.routeOptions.schema;
    if (schema?.operationId) {
      const text = typeof payload === 'string' ? payload : '';
      answers.push({
        operationId: schema.operationId,
        request: `${req.method} ${req.url}`,
        status: reply.statusCode,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
        schema: schemaFor(schema.response as Record<string, object> | undefined, reply.statusCode),
      });
    }
    return payload;
  });
  await app.ready();
  type Op = { operationId: string; tags: string[] };
  const paths = (app.swagger() as unknown as { paths: Record<string, Record<string, Op>> }).paths;
  documented = new Map(
    Object.values(paths)
      .flatMap((item) => Object.values(item))
      .map((op) => [op.operationId, op.tags[0]!]),
  );

  const v1 = '/v1/admin';
  for (const url of ['/', '/versions', '/v1', '/v1/', `${v1}/build_info`, `${v1}/services`, '/openapi.json'])
    await call({ url });
  const created = await call({
    method: 'POST',
    url: `${v1}/stacks`,
    payload: { stack_name: 's1', template: T },
  });
  const id = (created.json().stack as { id: string }).id;
  await call({ method: 'POST', url: `${v1}/stacks`, payload: { stack_name: 's2', template: T, tags: 'a' } });
  const one = `${v1}/stacks/s1/${id}`;
  const gets = [
    `${v1}/stacks?with_count=true&limit=1`,
    `${v1}/stacks/detail`,
    `${v1}/stacks/s1`,
    `${v1}/stacks/s1/resources?x=1`,
    one,
    `${one}?resolve_outputs=false`,
    `${one}/template`,
    `${one}/environment`,
    `${one}/files`,
    `${one}/export`,
    `${one}/outputs`,
    `${one}/outputs/out`,
    `${one}/resources?with_detail=true`,
    `${one}/resources/a`,
    `${one}/resources/a/metadata`,
    `${v1}/template_versions`,
    `${v1}/template_versions/heat_template_version.2018-08-31/functions`,
    `${v1}/resource_types`,
    `${v1}/resource_types?with_description=true`,
    `${v1}/resource_types/OS::Heat::None`,
    `${v1}/resource_types/OS::Heat::None/template?template_type=hot`,
    `${v1}/stacks/nope/nope`,
  ];
  for (const url of gets) await call({ url });
  const events = await call({ url: `${one}/events` });
  const event = (events.json().events as { id: string; resource_name: string }[])[0]!;
  await call({ url: `${one}/resources/${event.resource_name}/events` });
  await call({ url: `${one}/resources/${event.resource_name}/events/${event.id}` });

  const json = (method: InjectOptions['method'], url: string, payload?: unknown) =>
    call({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  await json('POST', `${v1}/stacks/preview`, { stack_name: 'p', template: T });
  await json('POST', `${v1}/stacks`, { template: 5 });
  await json('POST', `${v1}/stacks/s1/actions`, { check: null });
  await json('PUT', one, { template: T });
  await json('PATCH', one, {});
  await json('PUT', `${one}/preview`, { template: T });
  await json('PATCH', `${one}/preview`, {});
  await json('POST', `${one}/actions`, { check: null });
  const snapshot = await json('POST', `${one}/snapshots`, { name: 'snap' });
  const sid = snapshot.json().id as string;
  await call({ url: `${one}/snapshots` });
  await call({ url: `${one}/snapshots/${sid}` });
  await json('POST', `${one}/snapshots/${sid}/restore`);
  await json('DELETE', `${one}/snapshots/${sid}`);
  await json('PATCH', `${one}/resources/a`, { mark_unhealthy: true, resource_status_reason: 'r' });
  await json('POST', `${one}/resources/a/signal`, { go: 1 });
  await json('POST', `${v1}/validate?with_warnings=true`, { template: T });
  await json('DELETE', `${one}/abandon`);
  const s2 = (await call({ url: `${v1}/stacks?name=s2` })).json().stacks as { id: string }[];
  await json('DELETE', `${v1}/stacks/s2/${s2[0]!.id}`);
});
afterAll(async () => {
  await app.close();
});

describe('documented responses', () => {
  it("match what the API answers (every answer of a scenario through Heat's routes)", async () => {
    // Hearth's options (no coercion), but response schemas carry OpenAPI keys such as `headers`: not strict.
    const validator = Fastify({ ajv: { customOptions: { ...AJV_OPTIONS, strict: false } } });
    registerComponents(validator);
    const withBody = answers.filter((a) => a.body !== undefined);
    withBody.forEach((a, i) => {
      if (a.schema) validator.post(`/check/${i}`, { schema: { body: a.schema } }, async () => 'ok');
    });
    await validator.ready();
    const wrong: string[] = [];
    for (const [i, a] of withBody.entries()) {
      if (!a.schema) {
        wrong.push(`${a.request} → ${a.status}: no documented response`);
        continue;
      }
      const res = await validator.inject({
        method: 'POST',
        url: `/check/${i}`,
        payload: JSON.stringify(a.body),
        headers: { 'content-type': 'application/json' },
      });
      if (res.statusCode !== 200) wrong.push(`${a.request} → ${a.status}: ${res.json().message as string}`);
    }
    await validator.close();
    expect(wrong).toEqual([]);
    const noBody = answers.filter((a) => a.body === undefined);
    expect(noBody.map((a) => [a.operationId, a.status, a.schema !== undefined])).toEqual([
      ['deleteSnapshot', 204, true],
      ['deleteStack', 204, true],
    ]);
  });

  it('cover every Heat operation (of the lookup redirects, two)', () => {
    const covered = new Set(answers.map((a) => a.operationId));
    // Families over other services (tested with them: health and metrics in health.test.ts), and the event stream
    // (it writes its own answer).
    const elsewhere = new Set([
      'operations',
      'identity',
      'software-configs',
      'software-deployments',
      'agent',
      'audit',
      'dashboard',
    ]);
    const heat = [...documented]
      .filter(([id, tag]) => !elsewhere.has(tag) && !id.startsWith('find') && id !== 'streamStack')
      .map(([id]) => id);
    expect(heat.filter((id) => !covered.has(id))).toEqual([]);
    expect(covered.has('findGetStack') && covered.has('findPostStackActions')).toBe(true);
    expect(answers.length).toBeGreaterThan(50);
  });
});
