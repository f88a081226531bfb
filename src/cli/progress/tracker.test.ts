import { describe, expect, it } from 'vitest';
import type { EventItem, ResourceItem } from './model.js';
import { ProgressTracker } from './tracker.js';

const BASE = 'http://h/v1/p/stacks';
const ROOT = { name: 'web', id: 'r00t' };
const CHILD = { name: 'web-grp-x1', id: 'ch1ld' };

let seq = 0;
const event = (
  stack: { name: string; id: string },
  name: string,
  status: string,
  reason = 'state changed',
  phys = '',
): EventItem => ({
  id: `e${++seq}`,
  event_time: '2026-11-25T16:18:22Z',
  resource_name: name,
  resource_status: status,
  resource_status_reason: reason,
  physical_resource_id: phys,
  links: [{ rel: 'stack', href: `${BASE}/${stack.name}/${stack.id}` }],
});
const resource = (
  stack: { name: string; id: string },
  name: string,
  type: string,
  status: string,
  nested?: { name: string; id: string },
): ResourceItem => ({
  resource_name: name,
  resource_type: type,
  resource_status: status,
  resource_status_reason: '',
  links: [
    { rel: 'stack', href: `${BASE}/${stack.name}/${stack.id}` },
    ...(nested ? [{ rel: 'nested', href: `${BASE}/${nested.name}/${nested.id}` }] : []),
  ],
});

describe('ProgressTracker', () => {
  it('places nested resources under their path and types them from the resource list', () => {
    const t = new ProgressTracker(ROOT, 0);
    const news = t.apply(
      {
        stack: { status: 'CREATE_IN_PROGRESS', reason: '', updatedTime: null },
        events: [
          event(ROOT, 'web', 'CREATE_IN_PROGRESS', 'Stack CREATE started', ROOT.id),
          event(ROOT, 'grp', 'CREATE_IN_PROGRESS'),
          event(CHILD, CHILD.name, 'CREATE_IN_PROGRESS', 'Stack CREATE started', CHILD.id),
          event(CHILD, '0', 'CREATE_IN_PROGRESS'),
        ],
        resources: [
          resource(ROOT, 'grp', 'OS::Heat::ResourceGroup', 'CREATE_IN_PROGRESS', CHILD),
          resource(ROOT, 'db', 'OS::Heat::None', 'INIT_COMPLETE'),
          resource(CHILD, '0', 'My::Server', 'CREATE_IN_PROGRESS'),
        ],
      },
      1000,
    );
    // The nested stack's own event is not shown (its resource's events say the same).
    expect(news.events.map((n) => [n.who, n.rootEvent])).toEqual([
      ['web', true],
      ['web.grp', false],
      ['web.grp.0', false],
    ]);
    expect(t.snapshot().resources.map((r) => [r.path, r.type, r.status, r.depth])).toEqual([
      ['grp', 'OS::Heat::ResourceGroup', 'CREATE_IN_PROGRESS', 0],
      ['grp.0', 'My::Server', 'CREATE_IN_PROGRESS', 1],
      ['db', 'OS::Heat::None', 'INIT_COMPLETE', 0],
    ]);
    expect(t.snapshot().stackStatus).toBe('CREATE_IN_PROGRESS');
  });

  it('reports a failure once, as soon as its event arrives, and not again for the nested stack owning it', () => {
    const t = new ProgressTracker(ROOT, 0);
    t.apply(
      {
        events: [],
        resources: [
          resource(ROOT, 'grp', 'OS::Heat::ResourceGroup', 'CREATE_IN_PROGRESS', CHILD),
          resource(CHILD, '0', 'My::Server', 'CREATE_IN_PROGRESS'),
        ],
      },
      0,
    );
    const first = t.apply({ events: [event(CHILD, '0', 'CREATE_FAILED', 'Error: disk full')] }, 2500);
    expect(first.failures).toEqual([
      { path: 'grp.0', type: 'My::Server', status: 'CREATE_FAILED', reason: 'Error: disk full', atMs: 2500 },
    ]);
    const second = t.apply(
      {
        events: [event(ROOT, 'grp', 'CREATE_FAILED', 'Resource CREATE failed: Error: disk full')],
        resources: [
          resource(ROOT, 'grp', 'OS::Heat::ResourceGroup', 'CREATE_FAILED', CHILD),
          resource(CHILD, '0', 'My::Server', 'CREATE_FAILED'),
        ],
      },
      3000,
    );
    expect(second.failures).toEqual([]);
    expect(t.snapshot().failures).toHaveLength(1);
  });

  it('keeps the time a status was first seen, and marks resources no longer listed as deleted', () => {
    const t = new ProgressTracker(ROOT, 0);
    t.apply(
      {
        events: [event(ROOT, 'a', 'UPDATE_IN_PROGRESS')],
        resources: [
          resource(ROOT, 'a', 'T', 'UPDATE_IN_PROGRESS'),
          resource(ROOT, 'old', 'T', 'CREATE_COMPLETE'),
        ],
      },
      100,
    );
    t.apply({ events: [], resources: [resource(ROOT, 'a', 'T', 'UPDATE_IN_PROGRESS')] }, 900);
    const [a, old] = t.snapshot().resources;
    expect(a).toMatchObject({ status: 'UPDATE_IN_PROGRESS', sinceMs: 100 });
    expect(old).toMatchObject({ status: 'DELETE_COMPLETE', sinceMs: 900 });
  });

  it('takes a vanished stack for deleted', () => {
    const t = new ProgressTracker(ROOT, 0);
    t.apply({ stack: null, events: [] }, 0);
    expect(t.snapshot()).toMatchObject({ stackStatus: 'DELETE_COMPLETE', stackReason: 'Stack is gone' });
  });
});
