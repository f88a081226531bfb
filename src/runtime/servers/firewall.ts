/**
 * Security groups of container servers as iptables rules (filter table), tagged with comments holding the ids of
 * the groups and servers they belong to, so that they are found again (adoption, cleanup) and nothing else is
 * touched. Per security group `g` (chain names carry the first 20 characters of the id):
 *
 * - `HGI-g` / `HGE-g`: its ingress / egress rules; a match marks the packet allowed. A group without egress rules
 *   allows all egress (Heat's default egress rules).
 * - `HGS-g` / `HGD-g`: its members' addresses as source / destination (marking): traffic from the same group is
 *   allowed, and rules with a `remote_group_id` jump to that group's member chain.
 *
 * Per server `s`: `HS-s` (ingress) and `HE-s` (egress): established/related traffic returns, then every group's
 * chain, then marked packets return (through `HEARTH-SG-ALLOW`, which clears the mark) and the rest is dropped.
 * `DOCKER-USER` jumps to them for the server's addresses (`-d` ingress, `-s` egress: container to container and
 * to the outside), `OUTPUT` for ingress from the host itself. Returning hands the packet back to Docker's own
 * chains, so project isolation still applies. Traffic from a server to the Hearth host (its agent API) is not
 * filtered.
 */
import { execFile } from 'node:child_process';
import { serialized } from './network.js';

/** One rule, compiled from an OS::Neutron::SecurityGroup rule (IPv4). */
export interface FirewallRule {
  readonly direction: 'ingress' | 'egress';
  /** `tcp`, `udp`, `icmp` or a protocol number; absent: any. */
  readonly protocol?: string;
  /** TCP/UDP destination ports. */
  readonly ports?: { readonly min: number; readonly max: number };
  /** ICMP type and code. */
  readonly icmp?: { readonly type: number; readonly code?: number };
  /** The remote side as an IPv4 CIDR. */
  readonly remoteIpPrefix?: string;
  /** The remote side as the members of this security group (by id). */
  readonly remoteGroup?: string;
}

/** Runs `iptables ARGS` and answers its stdout. */
export type IptablesRunner = (args: readonly string[]) => Promise<string>;

/** An iptables command failed (the message holds the command and iptables' own words). */
export class FirewallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FirewallError';
  }
}

/** The mark bit meaning "a security group rule allowed this packet". */
const ALLOW_MARK = '0x1000000';
const ALLOW_CHAIN = 'HEARTH-SG-ALLOW';
const TAG = 'hearth-sg';
const LOCK = 'iptables';

/** The real `iptables` (waiting up to 10 s for the xtables lock). */
export const systemIptables: IptablesRunner = (args) =>
  new Promise((resolve, reject) => {
    execFile('iptables', ['-w', '10', ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err)
        reject(new FirewallError(`iptables ${args.join(' ')}: ${(stderr || err.message).toString().trim()}`));
      else resolve(stdout.toString());
    });
  });

/** The part of an id used in chain names (iptables allows 28 characters). */
function short(id: string): string {
  return id.replace(/[^a-zA-Z0-9]/g, '').slice(0, 20);
}

/** Chain names of a group and of a server. */
export const chains = {
  groupIngress: (g: string) => `HGI-${short(g)}`,
  groupEgress: (g: string) => `HGE-${short(g)}`,
  groupSources: (g: string) => `HGS-${short(g)}`,
  groupDestinations: (g: string) => `HGD-${short(g)}`,
  serverIngress: (s: string) => `HS-${short(s)}`,
  serverEgress: (s: string) => `HE-${short(s)}`,
};

/** One `-A` line of `iptables -S`. */
interface Line {
  readonly chain: string;
  readonly args: string[];
  readonly text: string;
}

/** Splits an `iptables -S` line into arguments (double quotes as iptables prints them). */
export function splitRule(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

function comment(what: string): string[] {
  return ['-m', 'comment', '--comment', `${TAG}/${what}`];
}

const MARK = ['-j', 'MARK', '--set-xmark', `${ALLOW_MARK}/${ALLOW_MARK}`];

/** The match of a rule (without its target). */
function ruleMatch(rule: FirewallRule): string[] {
  const args: string[] = [];
  if (rule.remoteIpPrefix) args.push(rule.direction === 'ingress' ? '-s' : '-d', rule.remoteIpPrefix);
  if (rule.protocol) args.push('-p', rule.protocol);
  if (rule.ports) {
    const { min, max } = rule.ports;
    args.push('--dport', min === max ? String(min) : `${min}:${max}`);
  }
  if (rule.icmp) {
    args.push(
      '--icmp-type',
      rule.icmp.code === undefined ? String(rule.icmp.type) : `${rule.icmp.type}/${rule.icmp.code}`,
    );
  }
  return args;
}

/** Security groups and their servers in iptables. */
export class ServerFirewall {
  constructor(private readonly iptables: IptablesRunner = systemIptables) {}

  /**
   * Creates the group's chains, or replaces its rules (its members stay). A rule naming another group needs that
   * group's chains. @throws FirewallError (iptables missing, no permission, unknown remote group)
   */
  async defineGroup(groupId: string, rules: readonly FirewallRule[]): Promise<void> {
    await serialized(LOCK, async () => {
      const state = await this.#state();
      for (const remote of new Set(rules.flatMap((r) => (r.remoteGroup ? [r.remoteGroup] : [])))) {
        if (remote !== groupId && !state.chains.has(chains.groupSources(remote)))
          throw new FirewallError(
            `remote_group_id ${remote} is not a security group on this host (no chain ${chains.groupSources(remote)})`,
          );
      }
      for (const chain of [chains.groupSources(groupId), chains.groupDestinations(groupId)])
        if (!state.chains.has(chain)) await this.iptables(['-N', chain]);
      const tag = comment(`g=${groupId}`);
      const fill = async (chain: string, lines: string[][]): Promise<void> => {
        if (state.chains.has(chain)) await this.iptables(['-F', chain]);
        else await this.iptables(['-N', chain]);
        for (const args of lines) await this.iptables(['-A', chain, ...args]);
      };
      const ingress = rules.filter((r) => r.direction === 'ingress');
      const egress = rules.filter((r) => r.direction === 'egress');
      await fill(chains.groupIngress(groupId), [
        [...tag, '-j', chains.groupSources(groupId)],
        ...ingress.map((r) => [
          ...ruleMatch(r),
          ...tag,
          ...(r.remoteGroup ? ['-j', chains.groupSources(r.remoteGroup)] : MARK),
        ]),
      ]);
      await fill(
        chains.groupEgress(groupId),
        egress.length === 0
          ? [[...tag, ...MARK]]
          : [
              [...tag, '-j', chains.groupDestinations(groupId)],
              ...egress.map((r) => [
                ...ruleMatch(r),
                ...tag,
                ...(r.remoteGroup ? ['-j', chains.groupDestinations(r.remoteGroup)] : MARK),
              ]),
            ],
      );
    });
  }

  /** Removes the group's chains (after its servers were detached). @throws FirewallError while in use */
  async removeGroup(groupId: string): Promise<void> {
    await serialized(LOCK, async () => {
      const state = await this.#state();
      const mine = [
        chains.groupIngress(groupId),
        chains.groupEgress(groupId),
        chains.groupSources(groupId),
        chains.groupDestinations(groupId),
      ];
      for (const chain of mine) if (state.chains.has(chain)) await this.iptables(['-F', chain]);
      for (const chain of mine) if (state.chains.has(chain)) await this.iptables(['-X', chain]);
    });
  }

  /** Whether the group's chains exist. */
  async hasGroup(groupId: string): Promise<boolean> {
    return (await this.#state()).chains.has(chains.groupSources(groupId));
  }

  /**
   * Filters the server's traffic by `groupIds` (replacing any earlier filtering of it): its chains, its jumps
   * for every address in `addresses`, and its membership in each group.
   * @throws FirewallError
   */
  async attach(serverId: string, groupIds: readonly string[], addresses: readonly string[]): Promise<void> {
    await serialized(LOCK, async () => {
      await this.#detach(serverId);
      const state = await this.#state();
      if (!state.chains.has('DOCKER-USER'))
        throw new FirewallError(
          'iptables has no DOCKER-USER chain: is dockerd running with its iptables rules?',
        );
      for (const g of groupIds)
        if (!state.chains.has(chains.groupIngress(g)))
          throw new FirewallError(
            `security group ${g} has no rules on this host (chain ${chains.groupIngress(g)})`,
          );
      if (!state.chains.has(ALLOW_CHAIN)) {
        await this.iptables(['-N', ALLOW_CHAIN]);
        await this.iptables(['-A', ALLOW_CHAIN, '-j', 'MARK', '--set-xmark', `0x0/${ALLOW_MARK}`]);
      }
      const tag = comment(`s=${serverId}`);
      for (const [chain, groupChain] of [
        [chains.serverIngress(serverId), chains.groupIngress] as const,
        [chains.serverEgress(serverId), chains.groupEgress] as const,
      ]) {
        await this.iptables(['-N', chain]);
        await this.iptables([
          '-A',
          chain,
          '-m',
          'conntrack',
          '--ctstate',
          'RELATED,ESTABLISHED',
          ...tag,
          '-j',
          'RETURN',
        ]);
        for (const g of groupIds) await this.iptables(['-A', chain, ...tag, '-j', groupChain(g)]);
        await this.iptables([
          '-A',
          chain,
          '-m',
          'mark',
          '--mark',
          `${ALLOW_MARK}/${ALLOW_MARK}`,
          ...tag,
          '-g',
          ALLOW_CHAIN,
        ]);
        await this.iptables(['-A', chain, ...tag, '-j', 'DROP']);
      }
      await this.#addAddresses(serverId, groupIds, addresses);
    });
  }

  /** Whether the server is filtered. */
  async attached(serverId: string): Promise<boolean> {
    return (await this.#state()).chains.has(chains.serverIngress(serverId));
  }

  /**
   * Makes the server's jumps and memberships follow its current addresses (a floating IP associated or
   * released, a container restarted with a new address). Nothing when the server is not filtered.
   */
  async refresh(serverId: string, addresses: readonly string[]): Promise<void> {
    await serialized(LOCK, async () => {
      const state = await this.#state();
      const ingress = chains.serverIngress(serverId);
      if (!state.chains.has(ingress)) return;
      const groups = state.lines
        .filter((l) => l.chain === ingress && l.args.includes('-j'))
        .map((l) => l.args[l.args.indexOf('-j') + 1] ?? '')
        .filter((target) => target.startsWith('HGI-'))
        .map((target) => target.slice('HGI-'.length));
      await this.#removeLines(state.lines.filter((l) => isAddressLine(l, serverId)));
      await this.#addAddresses(serverId, groups, addresses, true);
    });
  }

  /** Removes every rule and chain of the server (and its memberships). */
  async detach(serverId: string): Promise<void> {
    await serialized(LOCK, () => this.#detach(serverId));
  }

  /** Every rule mentioning `id` in a comment or chain name (for checks and tests). */
  async rulesMentioning(id: string): Promise<string[]> {
    const state = await this.#state();
    const part = short(id);
    return state.text.split('\n').filter((l) => l.includes(id) || l.includes(`-${part}`));
  }

  /** The servers that have chains here (by id, from their comments). */
  async servers(): Promise<string[]> {
    const state = await this.#state();
    const ids = new Set<string>();
    for (const l of state.lines) {
      if (!l.chain.startsWith('HS-')) continue;
      const tag = tagOf(l);
      if (tag?.startsWith('s=')) ids.add(tag.slice(2));
    }
    return [...ids];
  }

  async #detach(serverId: string): Promise<void> {
    const state = await this.#state();
    await this.#removeLines(state.lines.filter((l) => isAddressLine(l, serverId)));
    for (const chain of [chains.serverIngress(serverId), chains.serverEgress(serverId)]) {
      if (!state.chains.has(chain)) continue;
      await this.iptables(['-F', chain]);
      await this.iptables(['-X', chain]);
    }
  }

  /** Jumps for each address, and the address as a member of each group (group ids or their chain parts). */
  async #addAddresses(
    serverId: string,
    groups: readonly string[],
    addresses: readonly string[],
    shortIds = false,
  ): Promise<void> {
    const tag = comment(`s=${serverId}`);
    const member = comment(`m=${serverId}`);
    const name = (prefix: string, g: string) => (shortIds ? `${prefix}-${g}` : `${prefix}-${short(g)}`);
    for (const address of addresses.filter(Boolean)) {
      const host = `${address}/32`;
      for (const g of groups) {
        await this.iptables(['-I', name('HGS', g), '-s', host, ...member, ...MARK]);
        await this.iptables(['-I', name('HGD', g), '-d', host, ...member, ...MARK]);
      }
      await this.iptables(['-I', 'DOCKER-USER', '-d', host, ...tag, '-j', chains.serverIngress(serverId)]);
      await this.iptables(['-I', 'OUTPUT', '-d', host, ...tag, '-j', chains.serverIngress(serverId)]);
      await this.iptables(['-I', 'DOCKER-USER', '-s', host, ...tag, '-j', chains.serverEgress(serverId)]);
    }
  }

  async #removeLines(lines: readonly Line[]): Promise<void> {
    for (const l of lines) {
      await this.iptables(['-D', l.chain, ...l.args]).catch((err: unknown) => {
        // Already gone (another process, a restarted dockerd): what matters is that it is not there.
        if (!/does a matching rule exist|Bad rule|No chain/i.test((err as Error).message)) throw err;
      });
    }
  }

  async #state(): Promise<{ text: string; chains: Set<string>; lines: Line[] }> {
    const text = await this.iptables(['-S']);
    const chainSet = new Set<string>();
    const lines: Line[] = [];
    for (const raw of text.split('\n')) {
      const parts = splitRule(raw);
      if (parts[0] === '-N' && parts[1]) chainSet.add(parts[1]);
      if (parts[0] === '-P' && parts[1]) chainSet.add(parts[1]);
      if (parts[0] === '-A' && parts[1]) lines.push({ chain: parts[1], args: parts.slice(2), text: raw });
    }
    return { text, chains: chainSet, lines };
  }
}

/** The `hearth-sg/…` part of a line's comment, without the prefix. */
function tagOf(l: Line): string | undefined {
  const i = l.args.indexOf('--comment');
  const value = i === -1 ? undefined : l.args[i + 1];
  return value?.startsWith(`${TAG}/`) ? value.slice(TAG.length + 1) : undefined;
}

/** The jumps to a server's chains (in DOCKER-USER and OUTPUT) and its member lines in group chains. */
function isAddressLine(l: Line, serverId: string): boolean {
  const tag = tagOf(l);
  if (tag === `m=${serverId}`) return true;
  return tag === `s=${serverId}` && (l.chain === 'DOCKER-USER' || l.chain === 'OUTPUT');
}
