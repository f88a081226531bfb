import { describe, expect, it } from 'vitest';
import type { StackEvent } from '../api/types.js';
import {
  isDeploymentGroupType,
  isDeploymentType,
  parseProgressReason,
  progressOf,
  stateChangeKey,
} from './deployment-model.js';

let n = 0;
function event(reason: string, time = '2024-01-01T00:00:00Z'): StackEvent {
  n++;
  return {
    id: `e${n}`,
    event_time: time,
    resource_name: 'deploy',
    logical_resource_id: 'deploy',
    physical_resource_id: 'd1',
    resource_status: 'CREATE_IN_PROGRESS',
    resource_status_reason: reason,
    links: [],
  };
}

describe('deployment types', () => {
  it('knows deployments and groups of deployments', () => {
    expect(isDeploymentType('OS::Heat::SoftwareDeployment')).toBe(true);
    expect(isDeploymentType('OS::Heat::StructuredDeployment')).toBe(true);
    expect(isDeploymentType('OS::Heat::SoftwareDeploymentGroup')).toBe(false);
    expect(isDeploymentGroupType('OS::Heat::SoftwareDeploymentGroup')).toBe(true);
    expect(isDeploymentGroupType('OS::Heat::StructuredDeployments')).toBe(true);
    expect(isDeploymentGroupType('OS::Heat::None')).toBe(false);
  });
});

describe('progress lines', () => {
  it('reads progress and heartbeat reasons, keeping the line as sent', () => {
    expect(parseProgressReason('deployment d1 progress: step: 1 ')).toEqual({
      deploymentId: 'd1',
      kind: 'progress',
      text: 'step: 1 ',
    });
    expect(parseProgressReason('deployment d1 heartbeat: the host is still running it')?.kind).toBe(
      'heartbeat',
    );
    expect(parseProgressReason('state changed')).toBeUndefined();
    expect(parseProgressReason('Deploy data available')).toBeUndefined();
  });

  it('collects one deployment’s lines oldest first, with its last heartbeat', () => {
    const oldestFirst = [
      event('state changed', '2024-01-01T00:00:00Z'),
      event('deployment d1 progress: one', '2024-01-01T00:00:01Z'),
      event('deployment d2 progress: other host', '2024-01-01T00:00:01Z'),
      event('deployment d1 progress: two', '2024-01-01T00:00:01Z'),
      event('deployment d1 heartbeat: the host is still running it', '2024-01-01T00:00:02Z'),
      event('deployment d1 progress: (3 lines skipped)', '2024-01-01T00:00:03Z'),
    ];
    const p = progressOf([...oldestFirst].reverse(), 'd1');
    expect(p.lines.map((l) => l.text)).toEqual(['one', 'two', '(3 lines skipped)']);
    expect(p.lastHeartbeat).toBe('2024-01-01T00:00:02Z');
    expect(progressOf([], 'd1')).toEqual({ lines: [] });
  });

  it('keys state changes on the newest event that is not an output line', () => {
    const change = event('state changed');
    const newestFirst = [event('deployment d1 progress: x'), change, event('older')];
    expect(stateChangeKey(newestFirst)).toBe(change.id);
    expect(stateChangeKey([event('deployment d1 heartbeat: y')])).toBe('');
  });
});
