/**
 * Operations of software configs and deployments (`routes/software-configs.ts`, `routes/software-deployments.ts`).
 * Their checks are the software service's own request checks, which report every problem with Hearth's messages.
 */
import { checkConfigRequest } from '../../engine/software/config-request.js';
import { checkDeploymentRequest, checkDeploymentUpdate } from '../../engine/software/deployment-request.js';
import { DEPLOYMENT_STATUSES, SOFTWARE_IO_TYPES } from '../../engine/software/records.js';
import { query } from '../context.js';
import { boolParam, intParam } from '../params.js';
import { bodyObject } from '../request-body.js';
import { ref } from './components.js';
import { noContent, operation } from './operation.js';
import {
  anyValue,
  openMap,
  orNull,
  queryBool,
  queryInt,
  queryText,
  querystring,
  type JsonSchema,
} from './primitives.js';

const CONFIGS = '/v1/:tenant/software_configs';
const DEPLOYMENTS = '/v1/:tenant/software_deployments';
const PATHS = { configId: 'Software config id.', deploymentId: 'Deployment id.', serverId: 'Server id.' };

const shortText = (description: string, max: number): JsonSchema =>
  orNull({ type: 'string', maxLength: max, description });

/** One declared input or output (Heat's `InputConfig`/`OutputConfig`; values are read as resource properties). */
function ioItem(output: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    name: anyValue('Name (required).'),
    description: anyValue('Description.'),
    type: anyValue(`One of ${SOFTWARE_IO_TYPES.join(', ')} (default String).`),
  };
  if (output) properties.error_output = anyValue('A value present means the deployment FAILED.');
  else {
    properties.default = anyValue('Default value, converted to the type.');
    properties.replace_on_change = anyValue('Replace the deployment when the value changes.');
    properties.value = anyValue('The value (derived configs).');
  }
  return { type: 'object', properties, required: ['name'], additionalProperties: false };
}

const configBody: JsonSchema = {
  type: 'object',
  description: 'Unknown keys are ignored.',
  properties: {
    name: shortText('Name.', 255),
    group: shortText('Tool that applies it (default Heat::Ungrouped).', 255),
    config: orNull({
      description: 'Script or document, or a structured config.',
      type: ['string', 'object'],
    }),
    inputs: orNull({ type: 'array', items: ioItem(false), description: 'Declared inputs.' }),
    outputs: orNull({ type: 'array', items: ioItem(true), description: 'Declared outputs.' }),
    options: orNull(openMap("Options for the config's tool.")),
  },
  additionalProperties: true,
};

const status = orNull({
  enum: [...DEPLOYMENT_STATUSES, ''],
  description: 'IN_PROGRESS, COMPLETE or FAILED.',
});

const deploymentBody: JsonSchema = {
  type: 'object',
  description: 'Unknown keys are ignored.',
  properties: {
    config_id: { type: 'string', minLength: 1, maxLength: 255, description: 'A config of the project.' },
    server_id: { type: 'string', minLength: 1, maxLength: 255, description: 'The server it configures.' },
    input_values: orNull(openMap('Input values by name.')),
    action: shortText('Action, e.g. CREATE.', 255),
    status,
    status_reason: anyValue('Why (text; absent: "None").'),
    stack_user_project_id: shortText('Project of the stack user (admins: another project).', 64),
  },
  required: ['config_id', 'server_id'],
  additionalProperties: true,
};

const deploymentUpdate: JsonSchema = {
  type: 'object',
  description: 'Absent, null and empty values change nothing (as Heat).',
  properties: {
    config_id: orNull({ type: 'string', maxLength: 255, description: 'Another config of the project.' }),
    input_values: orNull(openMap('Input values by name.')),
    output_values: orNull(openMap("The host's output values by name.")),
    action: shortText('Action.', 255),
    status,
    status_reason: anyValue('Why.'),
  },
  additionalProperties: true,
};

const one = (key: 'software_config' | 'software_deployment', description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: { [key]: ref(key === 'software_config' ? 'SoftwareConfig' : 'SoftwareDeployment') },
  required: [key],
});

/** The software config and deployment operations. */
export const softwareOperations = {
  listConfigs: operation({
    operationId: 'listSoftwareConfigs',
    summary: 'List software configs (newest first)',
    tag: 'software-configs',
    url: CONFIGS,
    querystring: querystring({
      limit: queryInt('At most this many.'),
      marker: queryText('Id of the last config of the previous page.'),
      global_tenant: queryBool("Admins: every project's configs."),
    }),
    check: (req) => {
      const q = query(req);
      intParam(q, 'limit');
      boolParam(q, 'global_tenant');
    },
    responses: {
      200: {
        type: 'object',
        description: 'The configs (summaries)',
        properties: { software_configs: { type: 'array', items: ref('SoftwareConfig') } },
        required: ['software_configs'],
      },
    },
  }),
  createConfig: operation({
    operationId: 'createSoftwareConfig',
    summary: 'Create a software config (configs are immutable)',
    tag: 'software-configs',
    url: CONFIGS,
    body: configBody,
    check: (req) => void checkConfigRequest(bodyObject(req.body)),
    responses: { 200: one('software_config', 'The config') },
  }),
  showConfig: operation({
    operationId: 'showSoftwareConfig',
    summary: 'Show a software config',
    tag: 'software-configs',
    url: `${CONFIGS}/:configId`,
    pathParams: PATHS,
    responses: { 200: one('software_config', 'The config') },
  }),
  deleteConfig: operation({
    operationId: 'deleteSoftwareConfig',
    summary: 'Delete a software config no deployment uses',
    tag: 'software-configs',
    url: `${CONFIGS}/:configId`,
    pathParams: PATHS,
    responses: { 204: noContent('Deleted') },
  }),
  listDeployments: operation({
    operationId: 'listSoftwareDeployments',
    summary: 'List software deployments (oldest first)',
    tag: 'software-deployments',
    url: DEPLOYMENTS,
    querystring: querystring({ server_id: queryText('Only the deployments of this server.') }),
    responses: {
      200: {
        type: 'object',
        description: 'The deployments',
        properties: { software_deployments: { type: 'array', items: ref('SoftwareDeployment') } },
        required: ['software_deployments'],
      },
    },
  }),
  createDeployment: operation({
    operationId: 'createSoftwareDeployment',
    summary: 'Create a software deployment',
    tag: 'software-deployments',
    url: DEPLOYMENTS,
    body: deploymentBody,
    check: (req) => void checkDeploymentRequest(bodyObject(req.body)),
    responses: { 200: one('software_deployment', 'The deployment') },
  }),
  metadata: operation({
    operationId: 'showServerDeploymentMetadata',
    summary: "The configs of a server's deployments (what the host polls), sorted by config name",
    tag: 'software-deployments',
    url: `${DEPLOYMENTS}/metadata/:serverId`,
    pathParams: PATHS,
    responses: {
      200: {
        type: 'object',
        description: 'The configs, with their inputs',
        properties: { metadata: { type: 'array', items: ref('SoftwareConfig') } },
        required: ['metadata'],
      },
    },
  }),
  showDeployment: operation({
    operationId: 'showSoftwareDeployment',
    summary: 'Show a software deployment',
    tag: 'software-deployments',
    url: `${DEPLOYMENTS}/:deploymentId`,
    pathParams: PATHS,
    responses: { 200: one('software_deployment', 'The deployment') },
  }),
  updateDeployment: operation({
    operationId: 'updateSoftwareDeployment',
    summary: 'Update a software deployment (a host reports its outputs this way)',
    tag: 'software-deployments',
    url: `${DEPLOYMENTS}/:deploymentId`,
    pathParams: PATHS,
    body: deploymentUpdate,
    check: (req) => void checkDeploymentUpdate(bodyObject(req.body)),
    responses: { 200: one('software_deployment', 'The deployment') },
  }),
  deleteDeployment: operation({
    operationId: 'deleteSoftwareDeployment',
    summary: 'Delete a software deployment',
    tag: 'software-deployments',
    url: `${DEPLOYMENTS}/:deploymentId`,
    pathParams: PATHS,
    responses: { 204: noContent('Deleted') },
  }),
};
