/**
 * OS::Heat::None — a no-op stand-in (Heat's `NoneResource`): accepts any property, answers every attribute with
 * null, never updates nor gets replaced. Typically mapped over another type in `resource_registry` to disable it.
 */
import { randomUUID } from 'node:crypto';
import type { ResourcePlugin } from '../../engine/plugin.js';
import { defaultReferenceId } from '../support/common.js';

/** The OS::Heat::None plugin. */
export const noneResource: ResourcePlugin = {
  type: 'OS::Heat::None',
  distributable: true,
  description: 'Enables easily disabling certain resources via the resource_registry.',
  supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
  properties: {},
  attributes: {},
  acceptsAnyProperty: true,
  acceptsAnyAttribute: true,

  async create(_properties, ctx) {
    // Idempotent: a retry after a crash keeps the id saved the first time.
    const physicalId = ctx.state.physicalId ?? randomUUID();
    if (!ctx.state.physicalId) await ctx.savePhysicalId(physicalId);
    return { physicalId, data: { is_placeholder: 'True' }, attributes: {} };
  },

  async update() {
    return {};
  },

  needsReplace() {
    return false;
  },

  async delete() {},

  referenceId: defaultReferenceId,

  attribute() {
    return null;
  },

  hasAttribute() {
    return true;
  },
};
