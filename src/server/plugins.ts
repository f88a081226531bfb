/** Wires the built-in resource plugins into the engine's {@link PluginSource}. */
import type { PluginSource } from '../engine/plugin-source.js';
import { builtinPlugins, providerTemplatePlugin } from '../resources/index.js';

/** The plugin source of `hearth server`: every built-in type plus provider templates. */
export function builtinPluginSource(): PluginSource {
  const registry = builtinPlugins();
  return {
    get: (type) => registry.get(type),
    types: () => registry.types(),
    providerTemplate: (typeName, key, text, info) => providerTemplatePlugin(typeName, key, text, info),
  };
}
