/**
 * Snapshot bodies as Heat's `format_snapshot` renders them.
 */
import type { SnapshotView } from '../../engine/service.js';
import { heatTime } from '../links.js';

/**
 * `{id, name, action, status, status_reason, data, creation_time}`. Heat stores every snapshot with action
 * `CREATE` (restoring one does not change it).
 */
export function formatSnapshot(s: SnapshotView): Record<string, unknown> {
  const action = (s as SnapshotView & { action?: string }).action ?? 'CREATE';
  return {
    id: s.id,
    name: s.name,
    action,
    status: s.status,
    status_reason: s.status_reason,
    data: s.data,
    creation_time: heatTime(s.creation_time),
  };
}
