/**
 * The `stack update --dry-run` plan: Hearth's update preview rendered like Terraform's plan. One line per
 * resource (`+` add, `-` delete, `~` update in place, `-/+` replace), its changed properties under it
 * (`old → new`), the cause of each replacement marked `forces replacement`, then the summary line
 * `Plan: N to add, N to change, N to replace, N to destroy.`
 */

/** One entry of Heat's `resource_changes` lists (the fields the plan uses). */
export interface PreviewResource {
  resource_name: string;
  resource_type?: string;
  stack_name?: string;
}

/** Hearth's property-level change of one resource (`hearth_changes` item). */
export interface PreviewPropertyChange {
  resource: string;
  action: 'added' | 'deleted' | 'replaced' | 'updated' | 'unchanged';
  stack: string;
  properties: { name: string; old: unknown; new: unknown; updateAllowed: boolean; immutable: boolean }[];
  reason?: string;
}

/** The body of `PUT|PATCH …/preview` as Hearth answers it (Heat's servers omit `hearth_changes`). */
export interface PreviewBody {
  resource_changes: Partial<Record<PreviewPropertyChange['action'], PreviewResource[]>>;
  hearth_changes?: PreviewPropertyChange[];
}

const SYMBOL: Record<PreviewPropertyChange['action'], string> = {
  added: '+',
  deleted: '-',
  updated: '~',
  replaced: '-/+',
  unchanged: ' ',
};

const ACTIONS = ['added', 'deleted', 'replaced', 'updated', 'unchanged'] as const;

/** A value as the plan shows it: JSON, shortened past `max` characters. */
export function planValue(value: unknown, max = 80): string {
  const text = value === undefined ? 'null' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The address of a resource: `name`, or `nested.path.name` inside nested stacks. */
function address(stack: string, name: string): string {
  return stack ? `${stack}.${name}` : name;
}

/**
 * The property a replacement reason names: the reason itself when it is a property name, or `X` in Hearth's
 * `property "X" cannot be updated in place`.
 */
export function forcingProperty(change: PreviewPropertyChange): string | undefined {
  const reason = change.reason ?? '';
  if (change.properties.some((p) => p.name === reason)) return reason;
  return /^property "([^"]+)"/.exec(reason)?.[1];
}

/** The plan's lines for one resource's property changes. */
function propertyLines(change: PreviewPropertyChange): string[] {
  const lines: string[] = [];
  const named = change.action === 'replaced' ? forcingProperty(change) : undefined;
  const forcing = (p: PreviewPropertyChange['properties'][number]) =>
    change.action === 'replaced' &&
    (named !== undefined ? p.name === named : !p.updateAllowed || p.immutable);
  let marked = false;
  for (const p of change.properties) {
    if (change.action === 'added' && (p.new === null || p.new === undefined)) continue;
    const text =
      change.action === 'added'
        ? `${p.name}: ${planValue(p.new)}`
        : `${p.name}: ${planValue(p.old)} → ${planValue(p.new)}`;
    const forces = forcing(p);
    marked ||= forces;
    lines.push(`      ${text}${forces ? '  (forces replacement)' : ''}`);
  }
  if (change.action === 'replaced' && change.reason && !marked) {
    lines.push(`      # ${change.reason} (forces replacement)`);
  }
  return lines;
}

/** Counts of the summary line. */
export interface PlanCounts {
  add: number;
  change: number;
  replace: number;
  destroy: number;
}

/** Renders the plan (without trailing newline). */
export function renderPlan(preview: PreviewBody): string {
  const types = new Map<string, string>();
  for (const action of ACTIONS) {
    for (const r of preview.resource_changes[action] ?? []) {
      if (r.resource_type) types.set(`${action}:${r.resource_name}`, r.resource_type);
    }
  }
  const changes: PreviewPropertyChange[] =
    preview.hearth_changes && preview.hearth_changes.length > 0
      ? preview.hearth_changes
      : ACTIONS.flatMap((action) =>
          (preview.resource_changes[action] ?? []).map((r) => ({
            resource: r.resource_name,
            action,
            stack: '',
            properties: [],
          })),
        );
  const counts: PlanCounts = { add: 0, change: 0, replace: 0, destroy: 0 };
  const lines: string[] = [];
  for (const c of changes) {
    if (c.action === 'unchanged') continue;
    if (c.action === 'added') counts.add++;
    else if (c.action === 'updated') counts.change++;
    else if (c.action === 'replaced') counts.replace++;
    else counts.destroy++;
    const type = types.get(`${c.action}:${c.resource}`);
    lines.push(`${SYMBOL[c.action].padStart(3)} ${address(c.stack, c.resource)}${type ? ` (${type})` : ''}`);
    lines.push(...propertyLines(c));
  }
  const summary = `Plan: ${counts.add} to add, ${counts.change} to change, ${counts.replace} to replace, ${counts.destroy} to destroy.`;
  if (lines.length === 0) return `No changes. ${summary}`;
  return [...lines, '', summary].join('\n');
}
