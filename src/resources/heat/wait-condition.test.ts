import { describe, expect, it } from 'vitest';
import { HeatError } from '../../template/errors.js';
import type { ResourceState } from '../../engine/plugin.js';
import { makeContext, makeState } from '../testing/action-context.js';
import { waitConditionResource as wait } from './wait-condition.js';
import {
  curlCli,
  handleSignals,
  updateWaitConditionHandleResource as updateHandle,
  waitConditionHandleResource as handle,
} from './wait-condition-handle.js';

/** A handle created through its plugin, and a helper that signals it as the engine would (merging data). */
async function createdHandle(properties: Record<string, unknown> = { signal_transport: 'TOKEN_SIGNAL' }) {
  const state = makeState({ name: 'h', type: 'OS::Heat::WaitConditionHandle', properties });
  const r = await handle.create(properties, makeContext(state, { stackName: 'st' }));
  Object.assign(state, { physicalId: r.physicalId, data: r.data });
  const signal = async (details: unknown): Promise<void> => {
    const out = await handle.signal!(details, makeContext(state));
    if (out?.data) state.data = { ...state.data, ...out.data };
  };
  return { state, signal };
}

function waitState(): ResourceState {
  return makeState({
    id: '0f1b3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f',
    name: 'w',
    type: 'OS::Heat::WaitCondition',
  });
}

describe('OS::Heat::WaitConditionHandle', () => {
  it('exposes endpoint, token, curl_cli and signal for TOKEN_SIGNAL', async () => {
    const { state } = await createdHandle();
    const url = 'http://127.0.0.1:8004/v1/tenant/stacks/st/stack-id/resources/h/signal';
    expect(handle.attribute!(state, 'endpoint', [])).toBe(url);
    expect(handle.attribute!(state, 'token', [])).toBe('token-h');
    expect(handle.attribute!(state, 'curl_cli', [])).toBe(
      `curl -i -X POST -H 'X-Auth-Token: token-h' -H 'Content-Type: application/json' -H 'Accept: application/json' ${url}`,
    );
    expect(curlCli('U', 'T')).toContain("'X-Auth-Token: T'");
    expect(JSON.parse(handle.attribute!(state, 'signal', []) as string)).toEqual({ url, token: 'token-h' });
  });

  it('exposes nothing for NO_SIGNAL and refuses transports Hearth cannot serve', async () => {
    const { state } = await createdHandle({ signal_transport: 'NO_SIGNAL' });
    expect(handle.attribute!(state, 'curl_cli', [])).toBeNull();
    expect(handle.attribute!(state, 'signal', [])).toBe('{}');
    expect(() =>
      handle.validate!({ signal_transport: 'ZAQAR_SIGNAL' }, { resourceName: 'h', files: {} }),
    ).toThrow(/ZAQAR_SIGNAL/);
  });

  it('normalises signals (sequential ids, SUCCESS default) and overwrites a repeated id in place', async () => {
    const { state, signal } = await createdHandle();
    await signal(undefined);
    await signal({ data: 'd2' });
    await signal({ id: 'a', status: 'FAILURE', reason: 'bad' });
    await signal({ id: '1', data: 'again' });
    expect(handleSignals(state)).toEqual([
      { id: '1', status: 'SUCCESS', reason: 'Signal 4 received', data: 'again' },
      { id: '2', status: 'SUCCESS', reason: 'Signal 2 received', data: 'd2' },
      { id: 'a', status: 'FAILURE', reason: 'bad', data: null },
    ]);
  });

  it('refuses an invalid status, extra keys or a non-map body with a 400 ValueError', async () => {
    const { signal } = await createdHandle();
    for (const body of [{ status: 'DONE' }, { extra: 1 }, ['x']]) {
      const err = await signal(body).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HeatError);
      expect(err).toMatchObject({ type: 'ValueError', status: 400, message: 'Metadata format invalid' });
    }
  });

  it('UpdateWaitConditionHandle takes CFN-style bodies, is referenced by its URL and replaced on update', async () => {
    const state = makeState({ name: 'u', type: 'OS::Heat::UpdateWaitConditionHandle' });
    const r = await updateHandle.create({}, makeContext(state));
    Object.assign(state, { physicalId: r.physicalId, data: r.data });
    expect(updateHandle.referenceId!(state)).toMatch(/\/resources\/u\/signal$/);
    expect(updateHandle.replaceOnEveryUpdate).toBe(true);
    expect(await updateHandle.signal!(null, makeContext(state))).toBeUndefined();
    await expect(updateHandle.signal!({ Status: 'SUCCESS' }, makeContext(state))).rejects.toThrow(
      'Metadata format invalid',
    );
    const out = await updateHandle.signal!(
      { Status: 'SUCCESS', Reason: 'ok', Data: 'x', UniqueId: 7 },
      makeContext(state),
    );
    expect(out?.data?.['signals']).toEqual([{ id: '7', status: 'SUCCESS', reason: 'ok', data: 'x' }]);
  });
});

describe('OS::Heat::WaitCondition', () => {
  it('waits until count SUCCESS signals arrive (signals sent while waiting) and reports data as JSON', async () => {
    const { state: h, signal } = await createdHandle();
    const siblings = new Map([['h', h]]);
    const state = waitState();
    const ctx = makeContext(state, { siblings });
    const done = wait.create({ handle: h.physicalId, timeout: 5, count: 2 }, ctx);
    await new Promise((r) => setTimeout(r, 150));
    await signal({ data: { k: 'v' } });
    await signal({ id: 'z', data: 'two' });
    const r = await done;
    expect(r.attributes?.['data']).toBe('{"1": {"k": "v"}, "z": "two"}');
    expect(wait.attribute!({ ...state, attributes: r.attributes! }, 'data', [])).toBe(r.attributes?.['data']);
  });

  it('finds the handle by name too, and fails on a FAILURE signal with the reasons', async () => {
    const { state: h, signal } = await createdHandle();
    await signal({ status: 'FAILURE', reason: 'disk full' });
    await signal({ status: 'FAILURE', reason: 'no net' });
    const ctx = makeContext(waitState(), { siblings: new Map([['h', h]]) });
    const err = await wait.create({ handle: 'h', timeout: 5, count: 1 }, ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'WaitConditionFailure', message: 'disk full;no net' });
  });

  it('times out with the count received so far', async () => {
    const { state: h, signal } = await createdHandle();
    await signal({ reason: 'one ok' });
    const ctx = makeContext(waitState(), { siblings: new Map([['h', h]]) });
    const err = await wait.create({ handle: 'h', timeout: 1, count: 3 }, ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'WaitConditionTimeout', message: '1 of 3 received - one ok' });
  }, 5000);

  it('rejects a handle that is not a wait condition handle', async () => {
    const other = makeState({ name: 'x', type: 'OS::Heat::None', physicalId: 'pid' });
    const ctx = makeContext(waitState(), { siblings: new Map([['x', other]]) });
    await expect(wait.create({ handle: 'x', timeout: 5, count: 1 }, ctx)).rejects.toThrow(
      'x is not a valid wait condition handle.',
    );
    await expect(wait.create({ handle: 'nope', timeout: 5, count: 1 }, ctx)).rejects.toThrow(
      'nope is not a valid wait condition handle.',
    );
  });

  it('resumes after a restart with the original deadline and the signals stored meanwhile', async () => {
    const { state: h, signal } = await createdHandle();
    const state = waitState();
    const props = { handle: 'h', timeout: 1, count: 1 };
    const first = new AbortController();
    const running = wait.create(
      props,
      makeContext(state, { siblings: new Map([['h', h]]), signal: first.signal }),
    );
    await new Promise((r) => setTimeout(r, 50));
    first.abort(new Error('Engine shutting down'));
    await expect(running).rejects.toBeDefined();
    const startedAt = state.data['wait_started_at'];
    expect(typeof startedAt).toBe('string');
    await signal({ data: 'late' });
    const r = await wait.create(props, makeContext(state, { siblings: new Map([['h', h]]) }));
    expect(r.attributes?.['data']).toBe('{"1": "late"}');
    expect(state.data['wait_started_at']).toBe(startedAt);
  });

  it('has Heat schemas: timeout 1..43200 required, count updatable', () => {
    expect(wait.properties['timeout']).toMatchObject({ required: true });
    expect(wait.properties['timeout']?.constraints).toEqual([{ kind: 'range', min: 1, max: 43200 }]);
    expect(wait.properties['count']?.updateAllowed).toBe(true);
    expect(wait.properties['handle']?.updateAllowed).toBeFalsy();
  });
});
