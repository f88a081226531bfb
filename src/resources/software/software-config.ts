/**
 * OS::Heat::SoftwareConfig, StructuredConfig, SoftwareComponent and CloudConfig: resources that store an immutable
 * software config (Heat's `software_config.py`, `structured_config.py`, `software_component.py`,
 * `cloud_config.py`). Any property change replaces the resource (a new config); the physical id is the config id.
 * MultipartMime lives in `multipart-mime.ts`.
 */
import { stringify } from 'yaml';
import type { ActionContext, Properties, ResourcePlugin } from '../../engine/plugin.js';
import type { SoftwareConfigRequest } from '../../engine/software/config-request.js';
import type { SoftwareDeployer } from '../../engine/software/deployer.js';
import type { SoftwareConfigRecord } from '../../engine/software/records.js';
import { HeatError } from '../../template/errors.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId, physicalNameOf } from '../support/common.js';
import {
  compactItems,
  GROUP_PROPERTY,
  INPUTS_PROPERTY,
  OPTIONS_PROPERTY,
  OUTPUTS_PROPERTY,
} from './config-schemas.js';

/** What differs between the config types. */
export interface ConfigTypeSpec extends Pick<
  ResourcePlugin,
  'type' | 'description' | 'supportStatus' | 'properties' | 'validate'
> {
  /** The attribute holding the config (`config`, or `configs` for a component). */
  readonly attribute: string;
  readonly attributeDescription: string;
  /** The request that stores the config (name = the physical name). */
  build(properties: Properties, ctx: ActionContext): Promise<SoftwareConfigRequest> | SoftwareConfigRequest;
  /** The attribute's value from the stored config. */
  attributeValue(config: SoftwareConfigRecord): unknown;
}

/** A config resource type over the deployer's software service. */
export function configResource(deployer: SoftwareDeployer, spec: ConfigTypeSpec): ResourcePlugin {
  return {
    type: spec.type,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.supportStatus ? { supportStatus: spec.supportStatus } : {}),
    properties: spec.properties,
    ...(spec.validate ? { validate: spec.validate } : {}),
    attributes: { [spec.attribute]: { description: spec.attributeDescription, type: 'any' } },

    async create(properties, ctx) {
      const caller = deployer.caller(ctx.stack.projectId);
      if (ctx.state.physicalId !== null) {
        const existing = await deployer.service
          .showConfig(caller, ctx.state.physicalId)
          .catch(() => undefined);
        if (existing) return { attributes: { [spec.attribute]: spec.attributeValue(existing) } };
      }
      const config = await deployer.service.createConfig(caller, await spec.build(properties, ctx));
      return { physicalId: config.id, attributes: { [spec.attribute]: spec.attributeValue(config) } };
    },

    async delete(ctx) {
      if (ctx.state.physicalId === null) return;
      await deployer.service
        .deleteConfig(deployer.caller(ctx.stack.projectId), ctx.state.physicalId)
        .catch((e: unknown) => {
          if (e instanceof HeatError && e.type === 'NotFound') return;
          throw e;
        });
    },

    referenceId: defaultReferenceId,

    attribute(state, name, path) {
      if (name !== spec.attribute || state.physicalId === null) return null;
      return selectFromAttribute(state.attributes[name] ?? null, path);
    },
  };
}

const SUPPORTED_2014_1 = { status: 'SUPPORTED', version: '2014.1' } as const;

/** The common request of SoftwareConfig and StructuredConfig. */
function plainRequest(properties: Properties, ctx: ActionContext): SoftwareConfigRequest {
  return {
    name: physicalNameOf(ctx),
    group: properties['group'],
    config: properties['config'],
    options: properties['options'],
    inputs: compactItems(properties['inputs']),
    outputs: compactItems(properties['outputs']),
  };
}

/** OS::Heat::SoftwareConfig. */
export function softwareConfigResource(deployer: SoftwareDeployer): ResourcePlugin {
  return configResource(deployer, {
    type: 'OS::Heat::SoftwareConfig',
    description: 'A resource for describing and storing software configuration.',
    supportStatus: SUPPORTED_2014_1,
    properties: {
      group: GROUP_PROPERTY,
      config: {
        type: 'string',
        description:
          'Configuration script or manifest which specifies what actual configuration is performed.',
      },
      options: OPTIONS_PROPERTY,
      inputs: INPUTS_PROPERTY,
      outputs: OUTPUTS_PROPERTY,
    },
    attribute: 'config',
    attributeDescription: 'The config value of the software config.',
    build: plainRequest,
    attributeValue: (c) => c.config,
  });
}

/** OS::Heat::StructuredConfig: `config` is a map. */
export function structuredConfigResource(deployer: SoftwareDeployer): ResourcePlugin {
  return configResource(deployer, {
    type: 'OS::Heat::StructuredConfig',
    description: 'A resource which has same logic with OS::Heat::SoftwareConfig, with a map as config.',
    supportStatus: SUPPORTED_2014_1,
    properties: {
      group: GROUP_PROPERTY,
      options: OPTIONS_PROPERTY,
      inputs: INPUTS_PROPERTY,
      outputs: OUTPUTS_PROPERTY,
      config: {
        type: 'map',
        description:
          'Map representing the configuration data structure which will be serialized to JSON format.',
      },
    },
    attribute: 'config',
    attributeDescription: 'The config value of the software config.',
    build: plainRequest,
    attributeValue: (c) => c.config,
  });
}

const COMPONENT_ACTIONS = ['CREATE', 'UPDATE'];

/** OS::Heat::SoftwareComponent: one config per set of lifecycle actions, group `component`. */
export function softwareComponentResource(deployer: SoftwareDeployer): ResourcePlugin {
  return configResource(deployer, {
    type: 'OS::Heat::SoftwareComponent',
    description: 'A resource for describing and storing a software component.',
    supportStatus: { status: 'SUPPORTED', version: '2014.2' },
    properties: {
      configs: {
        type: 'list',
        description:
          'The list of configurations for the different lifecycle actions of the represented software component.',
        required: true,
        constraints: [{ kind: 'length', min: 1 }],
        items: {
          type: 'map',
          schema: {
            actions: {
              type: 'list',
              description:
                'Lifecycle actions to which the configuration applies. The string values provided for this ' +
                'property can include the standard resource actions CREATE, DELETE, UPDATE, SUSPEND and RESUME ' +
                'supported by Heat.',
              default: COMPONENT_ACTIONS,
              items: { type: 'string' },
              constraints: [{ kind: 'length', min: 1 }],
            },
            config: {
              type: 'string',
              description:
                'Configuration script or manifest which specifies what actual configuration is performed.',
            },
            tool: {
              type: 'string',
              description:
                'The configuration tool used to actually apply the configuration on a server. This string ' +
                'property has to be understood by in-instance tools running inside deployed servers.',
              required: true,
            },
          },
        },
      },
      inputs: INPUTS_PROPERTY,
      outputs: OUTPUTS_PROPERTY,
      options: OPTIONS_PROPERTY,
    },
    validate(properties, ctx) {
      const seen = new Set<string>();
      const configs = Array.isArray(properties['configs']) ? properties['configs'] : [];
      for (const c of configs as Record<string, unknown>[]) {
        const actions = Array.isArray(c?.['actions'])
          ? (c['actions'] as unknown[]).map(String)
          : COMPONENT_ACTIONS;
        if (actions.some((a) => seen.has(a))) {
          throw new HeatError(
            'StackValidationFailed',
            `Defining more than one configuration for the same action in SoftwareComponent "${ctx.resourceName}" ` +
              'is not allowed.',
          );
        }
        for (const a of actions) seen.add(a);
      }
    },
    attribute: 'configs',
    attributeDescription: "The list of configurations for the software component's lifecycle actions.",
    build: (properties, ctx) => ({
      name: physicalNameOf(ctx),
      group: 'component',
      config: { configs: compactItems(properties['configs']) },
      options: properties['options'],
      inputs: compactItems(properties['inputs']),
      outputs: compactItems(properties['outputs']),
    }),
    attributeValue: (c) =>
      c.config !== null && typeof c.config === 'object' ? (c.config['configs'] ?? null) : null,
  });
}

/** The cloud-config document of a `cloud_config` map: `#cloud-config` and its YAML. */
export function cloudConfigDocument(cloudConfig: unknown): string {
  return `#cloud-config\n${stringify(cloudConfig ?? null)}`;
}

/** OS::Heat::CloudConfig: a `#cloud-config` document. */
export function cloudConfigResource(deployer: SoftwareDeployer): ResourcePlugin {
  return configResource(deployer, {
    type: 'OS::Heat::CloudConfig',
    description: 'A configuration resource for representing cloud-init cloud-config.',
    supportStatus: SUPPORTED_2014_1,
    properties: {
      cloud_config: {
        type: 'map',
        description: 'Map representing the cloud-config data structure which will be formatted as YAML.',
      },
    },
    attribute: 'config',
    attributeDescription: 'The config value of the software config.',
    build: (properties, ctx) => ({
      name: physicalNameOf(ctx),
      group: 'Heat::Ungrouped',
      config: cloudConfigDocument(properties['cloud_config']),
    }),
    attributeValue: (c) => c.config,
  });
}
