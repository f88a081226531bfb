/**
 * The dependency closure of Debian packages, as apt would install them without recommends: `apt-cache depends`
 * asked level by level, each `Depends`/`PreDepends` group satisfied by a package already chosen or by its first
 * alternative (a virtual package by its first provider). Packages only maintainer scripts need (dpkg, debconf,
 * adduser, …) are left out by default: an image built from the closure runs no maintainer script.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Packages left out of every closure: they serve package installation (maintainer scripts, debconf, init
 * integration), never the programs in the image.
 */
export const INSTALL_ONLY_PACKAGES: readonly string[] = [
  'adduser',
  'cdebconf',
  'debconf',
  'debconf-2.0',
  'dpkg',
  'init-system-helpers',
  'lsb-base',
  'passwd',
  'sysvinit-utils',
  'ucf',
];

/** One alternative of a dependency: a package, or a virtual package with the packages providing it. */
export interface DepAlternative {
  readonly name: string;
  readonly virtual: boolean;
  readonly providers: string[];
}

/** What one package depends on: a list of groups, each satisfied by any one of its alternatives. */
export type DepGroups = DepAlternative[][];

/** A package name without its architecture qualifier (`python3:any` → `python3`). */
function bare(name: string): string {
  return name.replace(/:[a-z0-9-]+$/, '');
}

/**
 * Parses `apt-cache depends` output (without recommends and suggests) into each package's `Depends` and
 * `PreDepends` groups. Other relations are ignored.
 */
export function parseAptDepends(text: string): Map<string, DepGroups> {
  const result = new Map<string, DepGroups>();
  let groups: DepGroups | undefined;
  let open: DepAlternative[] | undefined; // the group still taking alternatives (after a `|`)
  let last: DepAlternative | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      groups = [];
      result.set(bare(line.trim()), groups);
      open = undefined;
      last = undefined;
      continue;
    }
    const dep = /^ ([ |])([A-Za-z-]+): (<)?([^>\s]+)>?\s*$/.exec(line);
    if (dep) {
      const [, bar, kind, angle, name] = dep;
      if (!groups || (kind !== 'Depends' && kind !== 'PreDepends')) {
        last = undefined;
        open = undefined;
        continue;
      }
      const alternative: DepAlternative = { name: bare(name!), virtual: angle === '<', providers: [] };
      if (open) open.push(alternative);
      else groups.push((open = [alternative]));
      if (bar !== '|') open = undefined;
      last = alternative;
      continue;
    }
    const provider = /^ {4}(\S+)\s*$/.exec(line);
    if (provider && last) last.providers.push(bare(provider[1]!));
  }
  return result;
}

/** Which package satisfies `group`: undefined when it is excluded or already satisfied. @throws Error */
export function chooseAlternative(
  owner: string,
  group: DepGroups[number],
  chosen: ReadonlySet<string>,
  exclude: ReadonlySet<string>,
): string | undefined {
  const names = group.flatMap((a) => [a.name, ...a.providers]);
  if (names.some((n) => exclude.has(n) || chosen.has(n))) return undefined;
  for (const alternative of group) {
    if (!alternative.virtual) return alternative.name;
    const provider = alternative.providers[0];
    if (provider) return provider;
  }
  throw new Error(
    `package ${owner} depends on ${group.map((a) => a.name).join(' | ')}, which no package provides ` +
      '(add it to the exclusions if the image does not need it)',
  );
}

/** Runs `apt-cache depends` on `packages` (no recommends, suggests, conflicts…). @throws Error naming apt's message */
async function aptDepends(packages: readonly string[]): Promise<Map<string, DepGroups>> {
  try {
    const { stdout } = await run(
      'apt-cache',
      [
        'depends',
        '--no-recommends',
        '--no-suggests',
        '--no-conflicts',
        '--no-breaks',
        '--no-replaces',
        '--no-enhances',
        ...packages,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    return parseAptDepends(stdout);
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? (err as Error).message).trim();
    throw new Error(
      `apt-cache depends ${packages.join(' ')} failed: ${stderr} ` +
        '(is the package name right, and have the package lists been fetched with apt-get update?)',
    );
  }
}

/**
 * The names of `packages` and every package they need (Depends/PreDepends, first alternatives), sorted, without
 * `exclude` (by default {@link INSTALL_ONLY_PACKAGES}) and what only they would pull in.
 * @throws Error when apt does not know a package or a dependency cannot be satisfied
 */
export async function resolveDebClosure(
  packages: readonly string[],
  exclude: Iterable<string> = INSTALL_ONLY_PACKAGES,
): Promise<string[]> {
  const excluded = new Set(exclude);
  const chosen = new Set<string>();
  let level = [...new Set(packages.map(bare))].filter((p) => !excluded.has(p));
  for (const p of level) chosen.add(p);
  while (level.length > 0) {
    const depends = await aptDepends(level);
    const next: string[] = [];
    for (const name of level) {
      const groups = depends.get(name);
      if (!groups) throw new Error(`apt-cache depends gave nothing for package ${name}`);
      for (const group of groups) {
        const pick = chooseAlternative(name, group, chosen, excluded);
        if (pick === undefined) continue;
        chosen.add(pick);
        next.push(pick);
      }
    }
    level = next;
  }
  return [...chosen].sort();
}
