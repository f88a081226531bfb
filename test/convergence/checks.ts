/**
 * Invariants checked after every crash round, through the REST API of the restarted server and, for what the
 * API hides (replaced rows, orphan child stacks), straight in its SQLite file (read-only, WAL allows it while
 * the server runs). Every check returns problems as sentences instead of throwing, so one round reports all.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { api } from '../helpers/hearth.js';
import { GROUP, expectedMemberValues, expectedOutputs, resourceNames, type StackModel } from './model.js';

/** Physical ids seen once an action settled (top-level resources, group members, the group's child stack). */
export interface Snapshot {
  readonly top: Map<string, string>;
  readonly members: Map<string, string>;
  readonly childStackId: string | null;
}

/** Where the stack lives. */
export interface StackRef {
  readonly endpoint: string;
  readonly name: string;
  readonly id: string;
  readonly dataDir: string;
}

interface ResourceBody {
  resource_name: string;
  physical_resource_id: string;
  resource_status: string;
  resource_type: string;
}

interface EventBody {
  id: string;
  resource_name: string;
  physical_resource_id: string;
  resource_status: string;
  resource_status_reason: string;
}

const IN_PROGRESS = /_IN_PROGRESS$/;

/** Opens the server's database read-only for one query batch. */
function withDb<T>(dataDir: string, f: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'hearth.db'), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return f(db);
  } finally {
    db.close();
  }
}

/** Live (not deleted) stacks of a root, with their resource rows, straight from the database. */
export function storedTree(
  dataDir: string,
  rootId: string,
): {
  stacks: {
    id: string;
    parent_id: string | null;
    owner_resource: string | null;
    status: string;
    action: string;
  }[];
  rows: {
    stack_id: string;
    name: string;
    action: string;
    status: string;
    current: number;
    physical_id: string | null;
  }[];
} {
  return withDb(dataDir, (db) => {
    const stacks = db
      .prepare(
        'SELECT id, parent_id, owner_resource, status, action FROM stacks WHERE root_id = ? AND deleted_at IS NULL',
      )
      .all(rootId) as {
      id: string;
      parent_id: string | null;
      owner_resource: string | null;
      status: string;
      action: string;
    }[];
    const rows = db
      .prepare(
        'SELECT r.stack_id, r.name, r.action, r.status, r.current, r.physical_id FROM resources r JOIN stacks s ON s.id = r.stack_id WHERE s.root_id = ?',
      )
      .all(rootId) as {
      stack_id: string;
      name: string;
      action: string;
      status: string;
      current: number;
      physical_id: string | null;
    }[];
    return { stacks, rows };
  });
}

/** Problems of the event list: each resource's last event about its current physical id matches its status. */
export async function checkEvents(
  endpoint: string,
  stackPath: string,
  resources: ResourceBody[],
  label: string,
): Promise<string[]> {
  const problems: string[] = [];
  const r = await api('GET', `${endpoint}/stacks/${stackPath}/events?sort_dir=asc`);
  if (r.status !== 200) return [`${label}: GET events answered ${r.status}`];
  const events = r.body.events as EventBody[];
  const byName = new Map<string, EventBody[]>();
  for (const e of events) byName.set(e.resource_name, [...(byName.get(e.resource_name) ?? []), e]);
  const purged = events.length >= 1000;
  for (const res of resources) {
    const mine = byName.get(res.resource_name) ?? [];
    if (mine.length === 0) {
      if (!purged) problems.push(`${label}: resource ${res.resource_name} has no event`);
      continue;
    }
    const ofCurrent = mine.filter((e) => e.physical_resource_id === res.physical_resource_id);
    const lastOfCurrent = ofCurrent.at(-1);
    if (!lastOfCurrent) {
      if (!purged)
        problems.push(
          `${label}: no event of ${res.resource_name} carries its physical id ${res.physical_resource_id}`,
        );
    } else if (lastOfCurrent.resource_status !== res.resource_status) {
      problems.push(
        `${label}: last event of ${res.resource_name} is ${lastOfCurrent.resource_status}, resource is ${res.resource_status}`,
      );
    }
    const last = mine.at(-1)!;
    if (
      last !== lastOfCurrent &&
      !(last.resource_status === 'DELETE_COMPLETE' && last.physical_resource_id !== res.physical_resource_id)
    ) {
      // After the current resource's last event only the deletion of a replaced one may follow.
      if (last.physical_resource_id !== '' || IN_PROGRESS.test(last.resource_status))
        problems.push(
          `${label}: after ${res.resource_name}'s last own event comes ${last.resource_status} of ${last.physical_resource_id || '(no id)'}`,
        );
    }
  }
  return problems;
}

/** Resources of a stack by name, with problems for duplicates and IN_PROGRESS rows. */
async function listResources(
  endpoint: string,
  stackPath: string,
  label: string,
  problems: string[],
): Promise<ResourceBody[]> {
  const r = await api('GET', `${endpoint}/stacks/${stackPath}/resources`);
  if (r.status !== 200) {
    problems.push(`${label}: GET resources answered ${r.status}`);
    return [];
  }
  const list = r.body.resources as ResourceBody[];
  const seen = new Set<string>();
  for (const x of list) {
    if (seen.has(x.resource_name)) problems.push(`${label}: resource ${x.resource_name} listed twice`);
    seen.add(x.resource_name);
    if (!x.resource_status.endsWith('_COMPLETE'))
      problems.push(`${label}: resource ${x.resource_name} is ${x.resource_status}`);
    if (!x.physical_resource_id) problems.push(`${label}: resource ${x.resource_name} has no physical id`);
  }
  return list;
}

function sameSet(label: string, actual: Iterable<string>, expected: Iterable<string>): string[] {
  const a = new Set(actual);
  const e = new Set(expected);
  const missing = [...e].filter((x) => !a.has(x));
  const extra = [...a].filter((x) => !e.has(x));
  const out: string[] = [];
  if (missing.length)
    out.push(`${label}: missing ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ' …' : ''}`);
  if (extra.length)
    out.push(`${label}: unexpected ${extra.slice(0, 8).join(', ')}${extra.length > 8 ? ' …' : ''}`);
  return out;
}

/**
 * Checks a live stack against its model: resources (API and database), nested stack, outputs, events.
 * Returns the problems and the physical ids now in place.
 */
export async function checkLiveStack(
  ref: StackRef,
  model: StackModel,
): Promise<{ problems: string[]; snapshot: Snapshot }> {
  const problems: string[] = [];
  const path = `${ref.name}/${ref.id}`;
  const top = await listResources(ref.endpoint, path, 'root', problems);
  const names = top.map((x) => x.resource_name);
  problems.push(...sameSet('root resources', names, [...resourceNames(model), GROUP]));
  const topIds = new Map(top.map((x) => [x.resource_name, x.physical_resource_id]));
  for (const x of top) {
    if (
      x.resource_type === 'OS::Heat::TestResource' &&
      !x.physical_resource_id.includes(`-${x.resource_name}-`)
    )
      problems.push(`root: physical id ${x.physical_resource_id} of ${x.resource_name} does not name it`);
  }
  const childId = topIds.get(GROUP) ?? null;
  topIds.delete(GROUP);

  let memberList: ResourceBody[] = [];
  if (childId) {
    const c = await api('GET', `${ref.endpoint}/stacks/${childId}`);
    const location = c.headers.get('location') ?? '';
    if (c.status !== 302 || !location.includes(childId))
      problems.push(`nested: GET ${childId} answered ${c.status}`);
    const childPath = location.split('/stacks/')[1] ?? childId;
    const shown = await api('GET', `${ref.endpoint}/stacks/${childPath}?resolve_outputs=false`);
    const cs = shown.body?.stack;
    if (shown.status !== 200 || !cs) problems.push(`nested: show ${childPath} answered ${shown.status}`);
    else {
      if (!String(cs.stack_status).endsWith('_COMPLETE'))
        problems.push(`nested: stack is ${cs.stack_status}`);
      if (cs.parent !== ref.id) problems.push(`nested: parent is ${cs.parent}, not ${ref.id}`);
      memberList = await listResources(ref.endpoint, childPath, 'nested', problems);
      problems.push(
        ...sameSet(
          'nested members',
          memberList.map((m) => m.resource_name),
          Array.from({ length: model.group.count }, (_, i) => String(i)),
        ),
      );
      problems.push(...(await checkEvents(ref.endpoint, childPath, memberList, 'nested events')));
    }
  } else problems.push('root: the group has no nested stack');

  const listed = await api('GET', `${ref.endpoint}/stacks?show_nested=true`);
  const children = (listed.body?.stacks ?? []).filter((s: { parent: string | null }) => s.parent === ref.id);
  problems.push(
    ...sameSet(
      'child stacks listed',
      children.map((s: { id: string }) => s.id),
      childId ? [childId] : [],
    ),
  );

  const tree = storedTree(ref.dataDir, ref.id);
  problems.push(
    ...sameSet(
      'stored live stacks',
      tree.stacks.map((s) => s.id),
      [ref.id, ...(childId ? [childId] : [])],
    ),
  );
  for (const s of tree.stacks)
    if (s.status === 'IN_PROGRESS') problems.push(`stored stack ${s.id} is ${s.action}_IN_PROGRESS`);
  const live = new Set(tree.stacks.map((s) => s.id));
  for (const row of tree.rows) {
    const where = row.stack_id === ref.id ? 'root' : 'nested';
    if (!live.has(row.stack_id))
      problems.push(`stored: row ${row.name} of deleted stack ${row.stack_id} left over`);
    else if (row.current !== 1)
      problems.push(
        `stored: ${where} replaced row ${row.name} (${row.action}_${row.status}, ${row.physical_id}) left over`,
      );
    else if (row.status === 'IN_PROGRESS')
      problems.push(`stored: ${where} row ${row.name} is ${row.action}_IN_PROGRESS`);
  }
  const rootRows = tree.rows.filter((r) => r.stack_id === ref.id).length;
  if (rootRows !== model.resources.size + 1)
    problems.push(`stored: root has ${rootRows} rows, expected ${model.resources.size + 1}`);

  const allIds = [
    ...top.map((x) => x.physical_resource_id),
    ...memberList.map((x) => x.physical_resource_id),
  ];
  const dup = allIds.filter((x, i) => x && allIds.indexOf(x) !== i);
  if (dup.length) problems.push(`physical ids used twice: ${[...new Set(dup)].join(', ')}`);

  const out = await api('GET', `${ref.endpoint}/stacks/${path}/outputs`);
  if (out.status !== 200) problems.push(`outputs: GET answered ${out.status}`);
  else {
    const values: Record<string, unknown> = {};
    for (const o of out.body.outputs as { output_key: string }[]) {
      const one = await api('GET', `${ref.endpoint}/stacks/${path}/outputs/${o.output_key}`);
      if (one.body?.output?.output_error)
        problems.push(`output ${o.output_key}: ${one.body.output.output_error}`);
      values[o.output_key] = one.body?.output?.output_value;
    }
    const expected = expectedOutputs(model);
    if (JSON.stringify(values['values']) !== JSON.stringify(expected.values))
      problems.push(`output values differ: ${diffLists(values['values'], expected.values)}`);
    if (JSON.stringify(values['group_values']) !== JSON.stringify(expectedMemberValues(model)))
      problems.push(
        `output group_values differ: ${diffLists(values['group_values'], expected.group_values)}`,
      );
    const refs = Array.from(
      { length: model.group.count },
      (_, i) => memberList.find((m) => m.resource_name === String(i))?.physical_resource_id,
    );
    if (JSON.stringify(values['group_refs']) !== JSON.stringify(refs))
      problems.push(
        `output group_refs differ from the members' physical ids: ${diffLists(values['group_refs'], refs)}`,
      );
  }
  problems.push(...(await checkEvents(ref.endpoint, path, top, 'root events')));
  return {
    problems,
    snapshot: {
      top: topIds,
      members: new Map(memberList.map((m) => [m.resource_name, m.physical_resource_id])),
      childStackId: childId,
    },
  };
}

function diffLists(actual: unknown, expected: readonly unknown[]): string {
  if (!Array.isArray(actual)) return `got ${JSON.stringify(actual)?.slice(0, 200)}`;
  const at = expected.findIndex((e, i) => actual[i] !== e);
  const i = at < 0 ? expected.length : at;
  return `first difference at [${i}]: got ${JSON.stringify(actual[i])}, expected ${JSON.stringify(expected[i])} (lengths ${actual.length}/${expected.length})`;
}

/** Checks that a deleted stack left nothing behind: not listed, child gone, no stored stack or row. */
export async function checkDeleted(ref: StackRef, previous: Snapshot | null): Promise<string[]> {
  const problems: string[] = [];
  const listed = await api('GET', `${ref.endpoint}/stacks?show_nested=true`);
  for (const s of (listed.body?.stacks ?? []) as {
    id: string;
    parent: string | null;
    stack_name: string;
  }[]) {
    if (s.id === ref.id || s.parent === ref.id)
      problems.push(`deleted: stack ${s.stack_name} (${s.id}) still listed`);
  }
  if (previous?.childStackId) {
    const c = await api('GET', `${ref.endpoint}/stacks/${previous.childStackId}`);
    if (c.status !== 404)
      problems.push(`deleted: nested stack ${previous.childStackId} still answers ${c.status}`);
  }
  const tree = storedTree(ref.dataDir, ref.id);
  for (const s of tree.stacks)
    problems.push(`deleted: stored stack ${s.id} (${s.action}_${s.status}) not deleted`);
  for (const row of tree.rows)
    problems.push(`deleted: stored row ${row.name} (${row.action}_${row.status}) left over`);
  return problems;
}

/** Which physical ids a round must or may change (by resource / member name). */
export interface ExpectedChanges {
  /** Replaced or added: a new id, never seen before. */
  readonly must: { top: Set<string>; members: Set<string> };
  /** May be replaced (rollbacks: how far the failed update got is not known): same id, or a new one. */
  readonly may: { top: Set<string>; members: Set<string> };
}

/** Physical ids now in place that are not where they should be, given what the round changed. */
export function checkStability(
  before: Snapshot,
  after: Snapshot,
  expected: ExpectedChanges,
  everSeen: Set<string>,
): string[] {
  const problems: string[] = [];
  const compare = (kind: 'top' | 'members', prev: Map<string, string>, now: Map<string, string>): void => {
    const label = kind === 'top' ? 'resource' : 'member';
    for (const [name, id] of now) {
      const old = prev.get(name);
      const must = old === undefined || expected.must[kind].has(name);
      if (must && old !== undefined && old === id)
        problems.push(`${label} ${name}: should have been replaced but kept ${id}`);
      else if (old !== id && everSeen.has(id))
        problems.push(`${label} ${name}: physical id ${id} was seen before (created twice?)`);
      else if (!must && old !== id && !expected.may[kind].has(name))
        problems.push(`${label} ${name}: physical id changed ${old} → ${id} without a replacement`);
    }
  };
  compare('top', before.top, after.top);
  compare('members', before.members, after.members);
  if (before.childStackId && after.childStackId && before.childStackId !== after.childStackId)
    problems.push(`group: nested stack changed ${before.childStackId} → ${after.childStackId}`);
  return problems;
}
