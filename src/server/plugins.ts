/** Wires the built-in resource plugins into the engine's {@link PluginSource}. */
import type { ResourcePlugin } from '../engine/plugin.js';
import type { PluginSource } from '../engine/plugin-source.js';
import type { SoftwareDeployer } from '../engine/software/deployer.js';
import { builtinPlugins, providerTemplatePlugin } from '../resources/index.js';
import { softwarePlugins } from '../resources/software/index.js';
import { containerServerPlugins, type ContainerServerOptions } from './container-servers.js';

/** Options of {@link builtinPluginSource}. */
export interface PluginSourceOptions {
  /** Registers the software configuration types (SoftwareConfig, SoftwareDeployment, DeployedServer, …). */
  readonly software?: SoftwareDeployer;
  /** Registers the container server types (OS::Nova::Server on Docker, DockerInc::Docker::Container). */
  readonly containerServers?: ContainerServerOptions;
  /** Container server plugins built already (`containerServerRuntime`); replaces `containerServers`. */
  readonly containerPlugins?: readonly ResourcePlugin[];
}

/** The plugin source of `hearth server`: every built-in type plus provider templates. */
export function builtinPluginSource(options: PluginSourceOptions = {}): PluginSource {
  const registry = builtinPlugins();
  if (options.software) for (const plugin of softwarePlugins(options.software)) registry.register(plugin);
  if (options.containerPlugins) for (const plugin of options.containerPlugins) registry.register(plugin);
  else if (options.containerServers)
    for (const plugin of containerServerPlugins(options.containerServers, options.software))
      registry.register(plugin);
  return {
    get: (type) => registry.get(type),
    types: () => registry.types(),
    providerTemplate: (typeName, key, text, info) => providerTemplatePlugin(typeName, key, text, info),
  };
}
