import { describe, expect, it } from 'vitest';
import { isRefreshSignal, REFRESH_REQUEST_TTL_MS, RefreshRequests } from './refresh-requests.js';

describe('RefreshRequests', () => {
  it('lists a request until its token settles it; another token or server settles nothing', () => {
    const requests = new RefreshRequests();
    const token = requests.request('srv', 'dep');
    expect(requests.pending('srv')).toEqual([{ deployment_id: 'dep', token, what: 'stats' }]);
    expect(requests.pending('other')).toEqual([]);
    expect(requests.settle('srv', 'dep', 'wrong')).toBe(false);
    expect(requests.settle('other', 'dep', token)).toBe(false);
    expect(requests.settle('srv', 'dep', token)).toBe(true);
    expect(requests.pending('srv')).toEqual([]);
  });

  it('a report without a token settles any pending request; a new request replaces the old token', () => {
    const requests = new RefreshRequests();
    const first = requests.request('srv', 'dep');
    const second = requests.request('srv', 'dep');
    expect(second).not.toBe(first);
    expect(requests.pending('srv').map((r) => r.token)).toEqual([second]);
    expect(requests.settle('srv', 'dep', undefined)).toBe(true);
    expect(requests.settle('srv', 'dep', undefined)).toBe(false);
  });

  it('forgets requests after their lifetime', () => {
    let now = 1_000;
    const requests = new RefreshRequests(() => now);
    requests.request('srv', 'dep');
    now += REFRESH_REQUEST_TTL_MS - 1;
    expect(requests.pending('srv')).toHaveLength(1);
    now += 1;
    expect(requests.pending('srv')).toEqual([]);
  });
});

describe('isRefreshSignal', () => {
  it('is exactly {refresh: <what>}', () => {
    expect(isRefreshSignal({ refresh: 'stats' }, 'stats')).toBe(true);
    expect(isRefreshSignal({ refresh: 'outputs' }, 'outputs')).toBe(true);
    expect(isRefreshSignal({ refresh: 'stats' }, 'outputs')).toBe(false);
    expect(isRefreshSignal({ refresh: 'stats', deploy_status_code: 0 }, 'stats')).toBe(false);
    expect(isRefreshSignal(['refresh'], 'stats')).toBe(false);
    expect(isRefreshSignal(null, 'stats')).toBe(false);
  });
});
