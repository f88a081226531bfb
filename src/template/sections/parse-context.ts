/**
 * The {@link ParseContext}s of one template version: one for ordinary values, one for condition expressions.
 */
import { parseValue, type ParseContext } from '../functions/function.js';
import type { TemplateVersion } from '../versions.js';

/** The pair of parse contexts of a version. */
export interface ParseContexts {
  /** Normal values (resource properties, outputs …). */
  readonly template: ParseContext;
  /** Condition expressions (`conditions` section, resource/output `condition`). */
  readonly condition: ParseContext;
}

/** Builds the template-mode and condition-mode parse contexts of `version`. */
export function createParseContexts(version: TemplateVersion): ParseContexts {
  const make = (mode: 'template' | 'condition'): ParseContext => {
    const self: ParseContext = {
      table: version.table,
      mode,
      version: version.key,
      parse: (raw, path) => parseValue(raw, path, self),
      parseCondition: (raw, path) => parseValue(raw, path, contexts.condition),
    };
    return self;
  };
  const contexts: ParseContexts = { template: make('template'), condition: make('condition') };
  return contexts;
}
