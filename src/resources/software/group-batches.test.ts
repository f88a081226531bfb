import { describe, expect, it } from 'vitest';
import { HeatError } from '../../template/errors.js';
import { groupSteps, parseGroupUpdatePolicy } from './group-batches.js';

const def = (server: string, v: string) => ({
  type: 'OS::Heat::SoftwareDeployment',
  properties: { server, v },
});
const names = (steps: ReturnType<typeof groupSteps>) =>
  steps.map((s) => Object.entries(s).map(([n, d]) => `${n}=${String((d['properties'] as { v: string }).v)}`));

describe('parseGroupUpdatePolicy', () => {
  it('reads batch_create and rolling_update with Heat defaults, ignores other keys', () => {
    expect(parseGroupUpdatePolicy('g', null)).toEqual({});
    expect(parseGroupUpdatePolicy('g', { other: 1 })).toEqual({});
    expect(parseGroupUpdatePolicy('g', { batch_create: {}, rolling_update: { max_batch_size: 3 } })).toEqual({
      create: { maxBatchSize: 1, pauseTime: 0, minInService: 0 },
      update: { maxBatchSize: 3, pauseTime: 0, minInService: 0 },
    });
  });

  it('names the key, the value and the allowed range of a bad policy', () => {
    let caught: unknown;
    try {
      parseGroupUpdatePolicy('g', { rolling_update: { pause_time: -1 } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HeatError);
    expect((caught as HeatError).message).toBe(
      'update_policy.rolling_update.pause_time: -1 is out of range (min: 0, max: None)',
    );
  });
});

describe('groupSteps', () => {
  const current = { a: def('1', 'old'), b: def('2', 'old'), c: def('3', 'old') };

  it('is one step without batching or without changes', () => {
    const target = [
      ['a', def('1', 'new')],
      ['b', def('2', 'new')],
    ] as const;
    expect(names(groupSteps(current, target, undefined))).toEqual([['a=new', 'b=new']]);
    const same = [['a', def('1', 'old')]] as const;
    expect(names(groupSteps(current, same, { maxBatchSize: 1, pauseTime: 0, minInService: 0 }))).toEqual([
      ['a=old'],
    ]);
  });

  it('changes max_batch_size members per step, removed ones go in the first, new ones appear when reached', () => {
    const target = [
      ['a', def('1', 'new')],
      ['b', def('2', 'old')],
      ['d', def('4', 'new')],
      ['c', def('3', 'new')],
    ] as const;
    const steps = groupSteps({ ...current }, target, { maxBatchSize: 2, pauseTime: 0, minInService: 0 });
    expect(names(steps)).toEqual([
      ['a=new', 'b=old', 'd=new', 'c=old'],
      ['a=new', 'b=old', 'd=new', 'c=new'],
    ]);
    const shrink = groupSteps(
      current,
      [
        ['a', def('1', 'new')],
        ['b', def('2', 'new')],
      ],
      {
        maxBatchSize: 1,
        pauseTime: 0,
        minInService: 0,
      },
    );
    expect(names(shrink)).toEqual([
      ['a=new', 'b=old'],
      ['a=new', 'b=new'],
    ]);
  });

  it('keeps min_in_service existing members out of every batch (at least one changes)', () => {
    const target = [
      ['a', def('1', 'new')],
      ['b', def('2', 'new')],
      ['c', def('3', 'new')],
    ] as const;
    const steps = groupSteps(current, target, { maxBatchSize: 3, pauseTime: 0, minInService: 2 });
    expect(steps).toHaveLength(3);
    const all = groupSteps(current, target, { maxBatchSize: 3, pauseTime: 0, minInService: 5 });
    expect(all).toHaveLength(3);
    const created = groupSteps({}, target, { maxBatchSize: 2, pauseTime: 0, minInService: 0 });
    expect(names(created)).toEqual([
      ['a=new', 'b=new'],
      ['a=new', 'b=new', 'c=new'],
    ]);
  });
});
