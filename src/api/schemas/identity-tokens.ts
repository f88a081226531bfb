/**
 * Operations of Keystone's discovery and tokens (`api/identity/auth-routes.ts`). Errors under `/v3` are
 * Keystone's `{"error": {code, title, message}}`; secrets in a body are never echoed by a schema failure.
 */
import { parseAuthBody } from '../identity/auth-body.js';
import type { Operation } from '../route-table.js';
import { ref } from './components.js';
import { noContent, operation, type OperationSpec } from './operation.js';
import { querystring, queryText, type JsonSchema } from './primitives.js';

const text: JsonSchema = { type: 'string' };
const secret = (max: number, description: string): JsonSchema => ({
  type: 'string',
  maxLength: max,
  writeOnly: true,
  description,
});
const domain: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 }, name: text },
  additionalProperties: true,
};
/** A user or project named by id, or by name (with its domain). */
const entity = (description: string, extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  description,
  properties: { id: { type: 'string', maxLength: 64 }, name: text, domain, ...extra },
  additionalProperties: true,
});

/** `POST /v3/auth/tokens` body (Keystone's). */
const authBody: JsonSchema = {
  type: 'object',
  properties: {
    auth: {
      type: 'object',
      properties: {
        identity: {
          type: 'object',
          properties: {
            methods: {
              type: 'array',
              items: { type: 'string', enum: ['password', 'token', 'application_credential'] },
              minItems: 1,
              maxItems: 1,
            },
            password: {
              type: 'object',
              properties: { user: entity('The user', { password: secret(4096, 'The password') }) },
              required: ['user'],
              additionalProperties: true,
            },
            token: {
              type: 'object',
              properties: { id: secret(512, 'A valid token') },
              required: ['id'],
              additionalProperties: true,
            },
            application_credential: {
              type: 'object',
              properties: {
                id: { type: 'string', maxLength: 64 },
                name: text,
                secret: secret(4096, 'The secret'),
                user: entity('Its user (with name)'),
              },
              required: ['secret'],
              additionalProperties: true,
            },
          },
          required: ['methods'],
          additionalProperties: true,
        },
        scope: {
          description: 'A project, or "unscoped" (default: the user\'s default project, if any)',
          anyOf: [
            {
              type: 'object',
              properties: { project: entity('The project') },
              additionalProperties: true,
            },
            { const: 'unscoped' },
          ],
        },
      },
      required: ['identity'],
      additionalProperties: true,
    },
  },
  required: ['auth'],
  additionalProperties: true,
  examples: [
    {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', domain: { id: 'default' }, password: '…' } },
        },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    },
  ],
};

const tokenAnswer = (description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: {
    token: {
      type: 'object',
      properties: {
        methods: { type: 'array', items: text },
        user: { type: 'object', additionalProperties: true },
        project: { type: 'object', additionalProperties: true },
        roles: { type: 'array', items: { type: 'object', additionalProperties: true } },
        catalog: { type: 'array', items: { type: 'object', additionalProperties: true } },
        expires_at: text,
        issued_at: text,
        audit_ids: { type: 'array', items: text },
      },
      required: ['methods', 'user', 'expires_at', 'issued_at'],
      additionalProperties: true,
    },
  },
  required: ['token'],
  headers: { 'X-Subject-Token': { type: 'string', description: 'The token' } },
});

const subjectHeader: JsonSchema = {
  type: 'object',
  properties: { 'x-subject-token': { type: 'string', description: 'The token to check or revoke' } },
  additionalProperties: true,
};

const collection = (key: string, description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: {
    [key]: { type: 'array', items: { type: 'object', additionalProperties: true } },
    links: { type: 'object', additionalProperties: true },
  },
  required: [key, 'links'],
});

/** An identity operation: Keystone's error body for every failure. */
export function identityOperation(spec: OperationSpec): Operation {
  const op = operation(spec);
  const response = op.schema.response as Record<string, unknown>;
  return {
    ...op,
    schema: {
      ...op.schema,
      response: { ...response, default: ref('KeystoneError', "Keystone's error body") },
    },
  };
}

/** The discovery and token operations. */
export const tokenOperations = {
  version: identityOperation({
    operationId: 'showIdentityVersion',
    summary: 'The identity API version (Keystone v3)',
    tag: 'identity',
    url: '/v3',
    public: true,
    responses: { 200: { type: 'object', description: 'The version document', additionalProperties: true } },
  }),
  issue: identityOperation({
    operationId: 'issueToken',
    summary: 'Sign in: a token for a password, a token or an application credential',
    description:
      'Wrong credentials are a 401 that never says which part was wrong; repeated failures are rate-limited (429).',
    tag: 'identity',
    url: '/v3/auth/tokens',
    public: true,
    querystring: querystring({ nocatalog: queryText('Leave the catalog out (present: true).') }),
    body: authBody,
    check: (req) => void parseAuthBody(req.body, req.ip),
    responses: { 201: tokenAnswer('Created: the token is the X-Subject-Token header') },
  }),
  validate: identityOperation({
    operationId: 'validateToken',
    summary: 'Validate a token (X-Subject-Token): your own, or any for an admin',
    tag: 'identity',
    url: '/v3/auth/tokens',
    querystring: querystring({ nocatalog: queryText('Leave the catalog out (present: true).') }),
    headers: subjectHeader,
    responses: { 200: tokenAnswer('The token') },
  }),
  revoke: identityOperation({
    operationId: 'revokeToken',
    summary: 'Revoke a token (X-Subject-Token)',
    tag: 'identity',
    url: '/v3/auth/tokens',
    headers: subjectHeader,
    responses: { 204: noContent('Revoked') },
  }),
  projects: identityOperation({
    operationId: 'listAuthProjects',
    summary: 'The projects the token can be scoped to',
    tag: 'identity',
    url: '/v3/auth/projects',
    responses: { 200: collection('projects', 'The projects') },
  }),
  catalog: identityOperation({
    operationId: 'showAuthCatalog',
    summary: "The token's service catalog",
    tag: 'identity',
    url: '/v3/auth/catalog',
    responses: {
      200: {
        type: 'object',
        description: 'The catalog',
        properties: {
          catalog: { type: 'array', items: { type: 'object', additionalProperties: true } },
          links: { type: 'object', additionalProperties: true },
        },
        required: ['catalog', 'links'],
      },
    },
  }),
};
