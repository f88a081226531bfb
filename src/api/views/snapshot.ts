/**
 * Snapshot bodies as Heat's `format_snapshot` renders them.
 */
import type { SnapshotView } from '../../engine/service.js';
import { heatTime } from '../links.js';

/**
 * `{id, name, status, status_reason, data, creation_time}`: Heat 19's `format_snapshot` has no `action`, and
 * the environment inside `data` is the stack's stored environment without `encrypted_param_names`.
 */
export function formatSnapshot(s: SnapshotView): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    status_reason: s.status_reason,
    data: withoutEncryptedParamNames(s.data),
    creation_time: heatTime(s.creation_time),
  };
}

/** Drops `data.environment.encrypted_param_names` (absent from Heat's snapshot data). */
function withoutEncryptedParamNames(data: SnapshotView['data']): SnapshotView['data'] {
  if (!isRecord(data) || !isRecord(data['environment'])) return data;
  const { encrypted_param_names: _hidden, ...environment } = data['environment'];
  return { ...data, environment };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
