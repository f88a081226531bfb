/**
 * Resource types: the registry the engine looks types up in, and Hearth's built-in OS::Heat::* plugins.
 */
import type { ResourcePlugin } from '../engine/plugin.js';
import { autoScalingGroupResource } from './heat/autoscaling-group.js';
import { delayResource } from './heat/delay.js';
import { noneResource } from './heat/none.js';
import { randomStringResource } from './heat/random-string.js';
import { resourceChainResource } from './heat/resource-chain.js';
import { resourceGroupResource } from './heat/resource-group.js';
import { scalingPolicyResource } from './heat/scaling-policy.js';
import { stackResource } from './heat/stack.js';
import { testResource } from './heat/test-resource.js';
import { valueResource } from './heat/value.js';
import { waitConditionResource } from './heat/wait-condition.js';
import {
  updateWaitConditionHandleResource,
  waitConditionHandleResource,
} from './heat/wait-condition-handle.js';

export { providerTemplatePlugin, childParameters, STACK_ID_OUTPUT } from './heat/provider-template.js';
export type { ProviderTemplateInfo } from './heat/provider-template.js';
export { RESOURCE_GROUP_UPDATE_POLICY_SCHEMA } from './heat/resource-group.js';
export { physicalResourceName, shortId } from '../engine/physical-name.js';
export { selectFromAttribute } from './support/attribute-path.js';
export { PythonError, nestedStackFailure, renderFailurePath } from './support/errors.js';

/** Resource plugins by type name. */
export class PluginRegistry {
  private readonly plugins = new Map<string, ResourcePlugin>();

  /** Adds (or replaces) the plugin of `plugin.type`. */
  register(plugin: ResourcePlugin): this {
    this.plugins.set(plugin.type, plugin);
    return this;
  }

  /** The plugin of `type`, if registered. */
  get(type: string): ResourcePlugin | undefined {
    return this.plugins.get(type);
  }

  /** Registered type names, sorted. */
  types(): string[] {
    return [...this.plugins.keys()].sort();
  }
}

/** A registry with every built-in type. */
export function builtinPlugins(): PluginRegistry {
  return new PluginRegistry()
    .register(noneResource)
    .register(valueResource)
    .register(testResource)
    .register(randomStringResource)
    .register(resourceGroupResource)
    .register(stackResource)
    .register(waitConditionHandleResource)
    .register(updateWaitConditionHandleResource)
    .register(waitConditionResource)
    .register(delayResource)
    .register(resourceChainResource)
    .register(autoScalingGroupResource)
    .register(scalingPolicyResource);
}
