/**
 * Operations of version discovery (`routes/versions.ts`).
 */
import type { Operation } from '../route-table.js';
import { ref } from './components.js';
import { operation } from './operation.js';

/** operationIds of the URLs serving the versions document. */
const VERSION_IDS: Record<string, string> = {
  '/': 'listVersions',
  '/versions': 'listVersionsAtVersions',
  '/v1': 'listVersionsAtV1',
  '/v1/': 'listVersionsAtV1Slash',
};

/** Operations already built, by URL (one schema object each: compiled once). */
const BUILT = new Map<string, Operation>();

/** `GET` of one of the URLs serving the versions document (300 Multiple Choices, as Heat). */
export function versionsOperation(url: string): Operation {
  const known = BUILT.get(url);
  if (known) return known;
  const built = operation({
    operationId: VERSION_IDS[url] ?? `listVersionsAt${url.replace(/[^A-Za-z0-9]/g, '_')}`,
    summary: 'The API versions',
    tag: 'versions',
    url,
    public: true,
    responses: { 300: { ...ref('Versions'), description: 'Multiple Choices: the versions document' } },
  });
  BUILT.set(url, built);
  return built;
}

/** `GET /v1/{tenant}/build_info`. */
export const buildInfoOperation: Operation = operation({
  operationId: 'showBuildInfo',
  summary: 'Build information',
  tag: 'versions',
  url: '/v1/:tenant/build_info',
  responses: {
    200: {
      type: 'object',
      description: 'Revisions of the API and the engine',
      properties: {
        api: { type: 'object', properties: { revision: { type: 'string' } }, required: ['revision'] },
        engine: { type: 'object', properties: { revision: { type: 'string' } }, required: ['revision'] },
      },
      required: ['api', 'engine'],
    },
  },
});

/** `GET /v1/{tenant}/services` (admin): the engine services. */
export const serviceListOperation: Operation = operation({
  operationId: 'listServices',
  summary: 'Engine services (admin)',
  tag: 'versions',
  url: '/v1/:tenant/services',
  responses: {
    200: {
      type: 'object',
      description: "The engines serving the API, in Heat's service shape",
      properties: { services: { type: 'array', items: { type: 'object', additionalProperties: true } } },
      required: ['services'],
    },
  },
});
