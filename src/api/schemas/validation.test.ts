import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFault } from '../faults.js';
import { orNull, queryBool, queryInt, querystring, intLike, tagList } from './primitives.js';
import { AJV_CONFIG, describeSchema } from './validation.js';

/** A small app validating with Hearth's Ajv options and answering failures with Hearth's fault mapping. */
let app: FastifyInstance;
const seen: unknown[] = [];

beforeAll(async () => {
  app = Fastify({ ajv: AJV_CONFIG });
  app.setErrorHandler((err, _req, reply) => {
    const fault = toFault(err, 1000);
    return reply.code(fault.status).send(fault.body);
  });
  app.post(
    '/things/:id',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', pattern: '^t-' } } },
        querystring: querystring({ verbose: queryBool('verbose'), limit: queryInt('limit') }),
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', maxLength: 5 },
            timeout: orNull(intLike('minutes')),
            tags: orNull(tagList('tags')),
            files: orNull({ type: 'object', additionalProperties: { type: 'string' } }),
            password: { type: 'string' },
            mode: { enum: ['fast', 'slow'] },
            strict: { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false },
          },
          required: ['name'],
          additionalProperties: true,
        },
      },
    },
    async (req) => {
      seen.push({ body: req.body, query: req.query });
      return { ok: true };
    },
  );
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

async function post(body: unknown, url = '/things/t-1') {
  const res = await app.inject({ method: 'POST', url, payload: body as object });
  return { status: res.statusCode, body: res.json() };
}

describe('request validation', () => {
  it('neither coerces, fills in nor strips: the handler sees the request as sent', async () => {
    seen.length = 0;
    const body = { name: 'a', timeout: '60', tags: 'x,y', unknown: { deep: [1, '2'] } };
    const res = await post(body, '/things/t-1?verbose=TRUE&limit=5&limit=6&other=1');
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ body, query: { verbose: 'TRUE', limit: ['5', '6'], other: '1' } }]);
  });

  it('answers a bad field with a 400 Heat fault naming the field, the value and what is allowed', async () => {
    const res = await post({ name: 'a', timeout: true });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 400,
      title: 'Bad Request',
      explanation:
        'The server could not comply with the request since it is either malformed or otherwise incorrect.',
      error: {
        type: 'HTTPBadRequest',
        message:
          'Invalid body field "timeout": received true; allowed: an integer (0 or more), a string holding an ' +
          'integer or null.',
        traceback: null,
        problems: [expect.objectContaining({ path: 'timeout' })],
      },
    });
  });

  it('looks inside the alternative the value is meant for (a map, where a map of strings is allowed)', async () => {
    const res = await post({ name: 'a', files: { 'a.yaml': 'x', 'b.yaml': 3 } });
    expect(res.body.error.message).toBe('Invalid body field "files.b.yaml": received 3; allowed: a string.');
  });

  it('reports every problem with its path, a missing field and an unknown one included', async () => {
    const res = await post({ timeout: 'soon', mode: 'medium', strict: { a: 1, b: 2 } });
    expect(res.status).toBe(400);
    const problems = res.body.error.problems as { path: string; message: string }[];
    expect(problems.map((p) => p.path)).toEqual(['name', 'timeout', 'mode', 'strict.b']);
    expect(problems.map((p) => p.message)).toEqual([
      'Missing body field "name"; expected a string (at most 5 characters).',
      'Invalid body field "timeout": received "soon"; allowed: a string holding an integer.',
      'Invalid body field "mode": received "medium"; allowed: one of "fast", "slow".',
      'Unknown body field "strict.b"; allowed: "a".',
    ]);
    expect(res.body.error.message).toBe(problems[0]!.message);
  });

  it('names query and URL parameters as such', async () => {
    const query = await post({ name: 'a' }, '/things/t-1?verbose=maybe');
    expect(query.body.error.message).toBe(
      'Invalid query parameter "verbose": received "maybe"; allowed: "true" or "false" (any case).',
    );
    const params = await post({ name: 'a' }, '/things/x-1');
    expect(params.body.error.message).toBe(
      'Invalid URL parameter "id": received "x-1"; allowed: a string matching /^t-/.',
    );
  });

  it('describes a bad body as a whole, and never echoes a secret', async () => {
    const root = await post([1, 2]);
    expect(root.body.error.message).toBe('Invalid request body: received [1,2]; allowed: an object.');
    const secret = await post({ name: 'a', password: 12345678 });
    expect(secret.status).toBe(400);
    expect(secret.body.error.message).toBe(
      'Invalid body field "password": received (hidden); allowed: a string.',
    );
    expect(JSON.stringify(secret.body)).not.toContain('12345678');
  });

  it('shortens long values', async () => {
    const res = await post({ name: 'x'.repeat(500) });
    expect(res.body.error.message).toMatch(
      /^Invalid body field "name": received "x{70,}…; allowed: a string/,
    );
    expect(res.body.error.message.length).toBeLessThan(200);
  });
});

describe('describeSchema', () => {
  it('puts schemas into words', () => {
    expect(describeSchema({})).toBe('any value');
    expect(describeSchema({ type: ['array', 'null'], items: { type: 'string' } })).toBe(
      'a list of: a string or null',
    );
    expect(
      describeSchema({ type: 'object', additionalProperties: { type: 'integer', minimum: 1, maximum: 3 } }),
    ).toBe('a map of: an integer (1 to 3)');
    expect(describeSchema({ title: 'a stack name' })).toBe('a stack name');
    expect(describeSchema({ const: 'x' })).toBe('"x"');
  });
});
