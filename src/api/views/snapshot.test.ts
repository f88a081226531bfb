import { describe, expect, it } from 'vitest';
import { formatSnapshot } from './snapshot.js';

describe('formatSnapshot', () => {
  it("renders Heat 19's keys (no action) and hides encrypted_param_names in the data's environment", () => {
    const body = formatSnapshot({
      id: 'sid',
      name: 'snap1',
      status: 'COMPLETE',
      status_reason: 'Stack SNAPSHOT completed successfully',
      creation_time: '2026-11-25T21:06:00.123Z',
      data: {
        name: 's',
        action: 'SNAPSHOT',
        environment: { parameters: {}, encrypted_param_names: [], event_sinks: [] },
      },
    });
    expect(Object.keys(body)).toEqual(['id', 'name', 'status', 'status_reason', 'data', 'creation_time']);
    expect(body['data']).toEqual({
      name: 's',
      action: 'SNAPSHOT',
      environment: { parameters: {}, event_sinks: [] },
    });
    expect(body['creation_time']).toBe('2026-11-25T21:06:00Z');
  });

  it('keeps a null data (snapshot still in progress)', () => {
    const body = formatSnapshot({
      id: 'sid',
      name: null,
      status: 'IN_PROGRESS',
      status_reason: null,
      creation_time: '2026-11-25T21:06:00Z',
      data: null,
    });
    expect(body['data']).toBeNull();
  });
});
