/** The crash test's model: deterministic per seed, 200 resources, and a change classification that follows get_attr. */
import { describe, expect, it } from 'vitest';
import {
  classifyChanges,
  cloneModel,
  expectedOutputs,
  expectedValue,
  GROUP,
  initialModel,
  mutate,
  renderTemplate,
  replacedMembers,
  resourceCount,
} from './model.js';
import { Prng } from './prng.js';

describe('crash model', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = renderTemplate(initialModel(new Prng(42)));
    expect(renderTemplate(initialModel(new Prng(42)))).toEqual(a);
    expect(renderTemplate(initialModel(new Prng(43)))).not.toEqual(a);
  });

  it('has 200 resources: 160 TestResources, the group and its 39 members', () => {
    const m = initialModel(new Prng(1));
    expect(resourceCount(m)).toBe(200);
    const t = renderTemplate(m) as { resources: Record<string, { type: string }> };
    expect(Object.keys(t.resources)).toHaveLength(161);
    expect(t.resources[GROUP]!.type).toBe('OS::Heat::ResourceGroup');
  });

  it('puts the name into every value and folds linked values in', () => {
    const m = initialModel(new Prng(3));
    const linked = [...m.resources.values()].find((r) => r.attrFrom)!;
    expect(expectedValue(m, linked.name)).toBe(`${linked.name}@0(${expectedValue(m, linked.attrFrom!)})`);
    for (const v of expectedOutputs(m).values) expect(v).toMatch(/^r\d+_\d+@\d+/);
  });

  it('classifies a replaced link target as changing its dependents too', () => {
    const before = initialModel(new Prng(5));
    const after = cloneModel(before);
    const dependent = [...after.resources.values()].find((r) => r.attrFrom)!;
    dependent.replaceOnChange = true;
    after.resources.get(dependent.attrFrom!)!.tag++;
    const { replaced, inPlace } = classifyChanges(before, after);
    expect(replaced).toContain(dependent.name);
    expect([...replaced, ...inPlace]).toContain(dependent.attrFrom);
  });

  it('keeps every depends_on and get_attr pointing at existing resources after removals', () => {
    const rng = new Prng(9);
    const m = initialModel(rng);
    for (let i = 0; i < 20; i++) {
      const before = cloneModel(m);
      const mutation = mutate(m, rng, { failing: i % 2 ? 'late' : 'early' });
      for (const r of m.resources.values()) {
        for (const d of r.dependsOn) expect(m.resources.has(d)).toBe(true);
        if (r.attrFrom) expect(m.resources.has(r.attrFrom)).toBe(true);
      }
      for (const n of mutation.removed) expect(m.resources.has(n)).toBe(false);
      expect(classifyChanges(before, m).replaced).toEqual(mutation.replaced);
      m.resources.delete(mutation.failing!);
    }
  });

  it('names the group members an update replaces', () => {
    const before = initialModel(new Prng(2));
    const after = cloneModel(before);
    after.group.tag++;
    after.group.replaceOnChange = true;
    after.group.count = 31;
    expect(replacedMembers(before, after)).toEqual(Array.from({ length: 31 }, (_, i) => String(i)));
    after.group.replaceOnChange = false;
    expect(replacedMembers(before, after)).toEqual([]);
  });
});
