/**
 * Where the engine gets resource plugins from. The resources layer implements it (the engine cannot import
 * resources: they sit above it); the composition root (`src/server/`) wires them together.
 */
import type { ResourcePlugin } from './plugin.js';

/** What a provider template declares, for building its plugin. */
export interface ProviderTemplateInfo {
  readonly parameters: ReadonlyMap<string, { type: string; default?: unknown; hasDefault: boolean }>;
  readonly outputs: readonly string[];
}

/** The plugins the engine can use. */
export interface PluginSource {
  /** The plugin of a built-in type, or undefined. */
  get(type: string): ResourcePlugin | undefined;
  /** Every built-in type name. */
  types(): string[];
  /** A plugin for a provider (template) resource. */
  providerTemplate(
    typeName: string,
    templateKey: string,
    templateText: string,
    info: ProviderTemplateInfo,
  ): ResourcePlugin;
}
