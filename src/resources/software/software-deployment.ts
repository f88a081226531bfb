/**
 * OS::Heat::SoftwareDeployment and OS::Heat::StructuredDeployment — apply a config to a server and wait for its
 * signal (Heat's `software_deployment.py` / `structured_config.py`; the work is in `SoftwareDeployer`).
 *
 * The deployment id is the resource row's id. An action the deployment acts on (`actions`, or a component's
 * `configs[].actions`) stores a derived config and sets the row IN_PROGRESS; the resource then polls the row until
 * the host's signal makes it COMPLETE (attributes = output values) or FAILED ("Deployment to server failed: …").
 * Polling survives a restart: a resumed action that already deployed for the same inputs just waits again.
 * Besides the host's final signal, the resource takes `{"refresh": "stats"}` (asks the host for fresh container
 * figures, any status) and `{"refresh": "outputs"}` (re-reads the output values into the attributes).
 */
import type {
  ActionContext,
  ActionResult,
  Properties,
  PropertySchema,
  ResourcePlugin,
} from '../../engine/plugin.js';
import { UpdateReplace } from '../../engine/plugin.js';
import { derivedInputs, replacingInput, type DeploymentSpec } from '../../engine/software/derived-config.js';
import type { SoftwareDeployer } from '../../engine/software/deployer.js';
import { isRefreshSignal } from '../../engine/software/refresh-requests.js';
import {
  checkSignalTransport,
  DEFAULT_SIGNAL_TRANSPORT,
  SIGNAL_TRANSPORTS,
  type SignalTransport,
} from '../../engine/software/transports.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId, physicalNameOf } from '../support/common.js';

/** Actions a deployment may act on. */
export const DEPLOY_ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'SUSPEND', 'RESUME'] as const;

/** Data key: the action and properties the deployment row was last set IN_PROGRESS for (crash-safe resume). */
const DEPLOYED_FOR_KEY = 'deployed_for';

/** The properties of SoftwareDeployment (Heat's schema). */
export const DEPLOYMENT_PROPERTIES: Readonly<Record<string, PropertySchema>> = {
  config: {
    type: 'string',
    description: 'ID of software configuration resource to execute when applying to the server.',
    updateAllowed: true,
  },
  server: {
    type: 'string',
    description: 'ID of resource to apply configuration to. Normally this should be a Nova server ID.',
    required: true,
  },
  input_values: {
    type: 'map',
    description: 'Input values to apply to the software configuration on this server.',
    updateAllowed: true,
  },
  actions: {
    type: 'list',
    description:
      'Which lifecycle actions of the deployment resource will result in this deployment being triggered.',
    updateAllowed: true,
    default: ['CREATE', 'UPDATE'],
    items: { type: 'string', constraints: [{ kind: 'allowed_values', values: DEPLOY_ACTIONS }] },
  },
  name: {
    type: 'string',
    description:
      'Name of the derived config associated with this deployment. This is used to apply a sort order to the ' +
      'list of configurations currently deployed to a server.',
    updateAllowed: true,
  },
  signal_transport: {
    type: 'string',
    description:
      'How the server should signal to Hearth with the deployment output values. HEAT_SIGNAL: a POST to the ' +
      'agent API with the host credential. TEMP_URL_SIGNAL: a PUT to a signed, expiring URL. NO_SIGNAL: the ' +
      'resource goes to COMPLETE without waiting for any signal. CFN_SIGNAL and ZAQAR_SIGNAL are refused.',
    default: DEFAULT_SIGNAL_TRANSPORT,
    constraints: [{ kind: 'allowed_values', values: SIGNAL_TRANSPORTS }],
  },
};

/** The extra properties of StructuredDeployment. */
export const STRUCTURED_PROPERTIES: Readonly<Record<string, PropertySchema>> = {
  input_key: {
    type: 'string',
    description: 'Name of key to use for substituting inputs during deployment.',
    default: 'get_input',
  },
  input_values_validate: {
    type: 'string',
    description:
      'Perform a check on the input values passed to verify that each required input has a corresponding value. ' +
      'When the property is set to STRICT and no value is passed, an exception is raised.',
    default: 'LAX',
    constraints: [{ kind: 'allowed_values', values: ['LAX', 'STRICT'] }],
  },
};

/** The attributes every deployment has (plus any declared output). */
export const DEPLOYMENT_ATTRIBUTES = {
  deploy_stdout: { description: 'Captured stdout from the configuration execution.', type: 'string' },
  deploy_stderr: { description: 'Captured stderr from the configuration execution.', type: 'string' },
  deploy_status_code: {
    description: 'Returned status code from the configuration execution.',
    type: 'string',
  },
} as const;

/** The spec of a derived config for an action. */
export function deploymentSpec(
  properties: Properties,
  ctx: ActionContext,
  action: string,
  structured: boolean,
): Omit<DeploymentSpec, 'signal'> {
  const inputValues = properties['input_values'];
  return {
    serverId: String(properties['server'] ?? ''),
    action,
    stackPath: `${ctx.stack.stackName}/${ctx.stack.stackId}`,
    resourceName: ctx.state.name,
    physicalName: physicalNameOf(ctx),
    inputValues:
      inputValues !== null && typeof inputValues === 'object' ? (inputValues as Record<string, unknown>) : {},
    name: typeof properties['name'] === 'string' ? properties['name'] : null,
    transport: (properties['signal_transport'] as SignalTransport | null) ?? DEFAULT_SIGNAL_TRANSPORT,
    ...(structured
      ? {
          structured: {
            inputKey: String(properties['input_key'] ?? 'get_input'),
            validate:
              properties['input_values_validate'] === 'STRICT' ? ('STRICT' as const) : ('LAX' as const),
          },
        }
      : {}),
  };
}

function actionsOf(properties: Properties): string[] {
  const a = properties['actions'];
  return Array.isArray(a) ? a.map(String) : ['CREATE', 'UPDATE'];
}

/** True when the abort reason is the engine stopping (the action resumes after a restart: leave the row alone). */
function isShutdown(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  const text = reason instanceof Error ? `${reason.name} ${reason.message}` : String(reason);
  return /shut|clos|stop/i.test(text);
}

/** A SoftwareDeployment-like plugin. */
export function deploymentResource(
  deployer: SoftwareDeployer,
  options: {
    type: string;
    structured: boolean;
    description: string;
    supportStatus: ResourcePlugin['supportStatus'];
  },
): ResourcePlugin {
  const { structured } = options;

  /** Heat's `_handle_action` + `check_*_complete`. */
  async function act(properties: Properties, ctx: ActionContext, action: string): Promise<ActionResult> {
    const projectId = ctx.stack.projectId;
    const id = ctx.state.id;
    const spec = deploymentSpec(properties, ctx, action, structured);
    const fingerprint = JSON.stringify({ action, properties });
    const existing = await deployer.find(projectId, id);
    let waits: boolean;
    if (ctx.state.data[DEPLOYED_FOR_KEY] === fingerprint && existing) {
      waits = existing.status === 'IN_PROGRESS' || existing.status === 'FAILED';
    } else {
      const configId = typeof properties['config'] === 'string' ? properties['config'] : null;
      const r = await deployer.act({
        projectId,
        deploymentId: id,
        exists: !!existing,
        configId,
        actions: actionsOf(properties),
        spec,
        stackTimeoutMins: ctx.stackTimeoutMins ?? null,
      });
      if (!r.acted) return { attributes: await outputsOf(projectId, id) };
      await ctx.savePhysicalId(id);
      await ctx.saveData({ [DEPLOYED_FOR_KEY]: fingerprint });
      waits = r.waits;
    }
    if (waits) {
      try {
        await deployer.waitForSignal(projectId, id, ctx);
      } catch (e) {
        if (ctx.signal.aborted && !isShutdown(ctx.signal)) await deployer.cancel(projectId, id);
        throw e;
      }
    }
    return { physicalId: id, attributes: await outputsOf(projectId, id), data: { [DEPLOYED_FOR_KEY]: null } };
  }

  async function outputsOf(projectId: string, id: string): Promise<Record<string, unknown>> {
    return (await deployer.find(projectId, id))?.outputValues ?? {};
  }

  return {
    type: options.type,
    description: options.description,
    ...(options.supportStatus ? { supportStatus: options.supportStatus } : {}),
    properties: structured ? { ...DEPLOYMENT_PROPERTIES, ...STRUCTURED_PROPERTIES } : DEPLOYMENT_PROPERTIES,
    attributes: DEPLOYMENT_ATTRIBUTES,
    acceptsAnyAttribute: true,

    validate(properties, ctx) {
      checkSignalTransport(ctx.resourceName, properties['signal_transport']);
    },

    create: (properties, ctx) => act(properties, ctx, 'CREATE'),

    async update(request, ctx) {
      const projectId = ctx.stack.projectId;
      const previous = await deployer.currentDerived(projectId, ctx.state.id);
      if (previous) {
        const source = await deployer.source(
          projectId,
          typeof request.newProperties['config'] === 'string' ? request.newProperties['config'] : null,
        );
        const next = derivedInputs(source, deploymentSpec(request.newProperties, ctx, 'UPDATE', structured));
        if (replacingInput(previous.inputs, next) !== undefined) throw new UpdateReplace(ctx.state.name);
      }
      return act(request.newProperties, ctx, 'UPDATE');
    },

    async delete(ctx) {
      const properties = ctx.state.properties;
      const projectId = ctx.stack.projectId;
      if (properties) {
        const spec = deploymentSpec(properties, ctx, 'DELETE', structured);
        const configId = typeof properties['config'] === 'string' ? properties['config'] : null;
        const existing = await deployer.find(projectId, ctx.state.id);
        const r = await deployer
          .act({
            projectId,
            deploymentId: ctx.state.id,
            exists: !!existing,
            configId,
            actions: actionsOf(properties),
            spec,
            stackTimeoutMins: ctx.stackTimeoutMins ?? null,
          })
          .catch(() => ({ acted: false, waits: false }));
        if (r.waits && (await deployer.serverExists(projectId, spec.serverId))) {
          await deployer.waitForSignal(projectId, ctx.state.id, ctx);
        }
      }
      await deployer.remove(projectId, ctx.state.id);
    },

    async suspend(ctx) {
      return ctx.state.properties ? act(ctx.state.properties, ctx, 'SUSPEND') : undefined;
    },

    async resume(ctx) {
      return ctx.state.properties ? act(ctx.state.properties, ctx, 'RESUME') : undefined;
    },

    async signal(details, ctx) {
      // The deployment's id is the row's id: it exists (IN_PROGRESS) before the row's physical id is written, and
      // a signal arriving in between must not be lost.
      const id = ctx.state.physicalId ?? ctx.state.id;
      const projectId = ctx.stack.projectId;
      if ((await deployer.find(projectId, id)) === undefined) return;
      if (isRefreshSignal(details, 'stats')) {
        await deployer.service.requestStatsRefresh(deployer.caller(projectId), id);
        await ctx.event(`deployment ${id}: fresh container figures asked of its server`);
        return;
      }
      if (isRefreshSignal(details, 'outputs')) {
        return { attributes: await outputsOf(projectId, id) };
      }
      const reason = await deployer.service.signalDeployment(deployer.caller(projectId), id, details);
      if (reason !== undefined) await ctx.event(reason);
    },

    referenceId: defaultReferenceId,

    attribute(state, name, path) {
      return selectFromAttribute(state.attributes[name] ?? null, path);
    },

    hasAttribute(name) {
      return name !== '';
    },
  };
}

/** OS::Heat::SoftwareDeployment. */
export function softwareDeploymentResource(deployer: SoftwareDeployer): ResourcePlugin {
  return deploymentResource(deployer, {
    type: 'OS::Heat::SoftwareDeployment',
    structured: false,
    description: 'This resource associates a server with some configuration.',
    supportStatus: { status: 'SUPPORTED', version: '2014.1' },
  });
}

/** OS::Heat::StructuredDeployment: substitutes `{get_input: name}` in the config map. */
export function structuredDeploymentResource(deployer: SoftwareDeployer): ResourcePlugin {
  return deploymentResource(deployer, {
    type: 'OS::Heat::StructuredDeployment',
    structured: true,
    description: 'A deployment resource which performs input value substitution on a structured config.',
    supportStatus: { status: 'SUPPORTED', version: '2014.1' },
  });
}
