/**
 * Boot-time configuration of a container server (cloud-init's subset): `user_data` as a script (`#!`), as
 * `#cloud-config` (write_files, runcmd, users) or as multipart MIME (OS::Heat::MultipartMime / CloudConfig) whose
 * parts are scripts and cloud-configs. Pure: parsing and planning here, applying in `boot.ts` inside the container.
 * What is not supported is listed, never ignored silently.
 */
import { parse as parseYaml } from 'yaml';

/** One file of `write_files`. */
export interface BootFile {
  readonly path: string;
  readonly content: string;
  /** Octal string as cloud-init takes it (`'0644'`). */
  readonly permissions: string;
  readonly append: boolean;
}

/** One user of `users`. */
export interface BootUser {
  readonly name: string;
  readonly sshAuthorizedKeys: readonly string[];
}

/** What the agent does at first boot, in order. */
export interface BootPlan {
  readonly files: readonly BootFile[];
  readonly users: readonly BootUser[];
  /** Shell commands (`runcmd`); a list item runs as argv. */
  readonly commands: readonly (string | readonly string[])[];
  /** Scripts (`#!` parts), run after the cloud-config steps, in order. */
  readonly scripts: readonly string[];
  /** What was not applied and why (unsupported cloud-config keys, part types …). */
  readonly unsupported: readonly string[];
}

/** cloud-config keys applied. */
export const SUPPORTED_CLOUD_CONFIG_KEYS = ['write_files', 'runcmd', 'users'] as const;

interface Part {
  readonly contentType: string;
  readonly text: string;
}

/** The plan for `userData` (empty plan for empty user data). */
export function bootPlan(userData: string): BootPlan {
  const plan = { files: [], users: [], commands: [], scripts: [], unsupported: [] } as {
    files: BootFile[];
    users: BootUser[];
    commands: (string | readonly string[])[];
    scripts: string[];
    unsupported: string[];
  };
  if (userData.trim() === '') return plan;
  for (const part of partsOf(userData)) addPart(plan, part);
  return plan;
}

function partsOf(userData: string): Part[] {
  const head = userData.slice(0, 2000);
  if (/^content-type:\s*multipart\//im.test(head) && /boundary=/i.test(head)) return mimeParts(userData);
  return [{ contentType: sniff(userData), text: userData }];
}

function sniff(text: string): string {
  if (text.startsWith('#!')) return 'text/x-shellscript';
  if (text.startsWith('#cloud-config')) return 'text/cloud-config';
  return 'text/plain';
}

function addPart(
  plan: {
    files: BootFile[];
    users: BootUser[];
    commands: (string | readonly string[])[];
    scripts: string[];
    unsupported: string[];
  },
  part: Part,
): void {
  const type = part.contentType === 'text/plain' ? sniff(part.text) : part.contentType;
  if (type === 'text/x-shellscript') {
    plan.scripts.push(part.text);
  } else if (type === 'text/cloud-config') {
    addCloudConfig(plan, part.text);
  } else if (part.text.trim() !== '') {
    plan.unsupported.push(
      `user_data part of type ${type} (only scripts starting with #!, #cloud-config and multipart MIME are applied)`,
    );
  }
}

function addCloudConfig(
  plan: {
    files: BootFile[];
    users: BootUser[];
    commands: (string | readonly string[])[];
    unsupported: string[];
  },
  text: string,
): void {
  let doc: unknown;
  try {
    // YAML 1.1 as cloud-init (PyYAML) reads it: `permissions: 0755` is octal, `append: yes` is true
    doc = parseYaml(text, { version: '1.1' });
  } catch (err) {
    plan.unsupported.push(`#cloud-config is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  if (doc === null || doc === undefined) return;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    plan.unsupported.push(`#cloud-config must be a map, got ${Array.isArray(doc) ? 'a list' : typeof doc}`);
    return;
  }
  const config = doc as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!(SUPPORTED_CLOUD_CONFIG_KEYS as readonly string[]).includes(key))
      plan.unsupported.push(
        `cloud-config key "${key}" (supported: ${SUPPORTED_CLOUD_CONFIG_KEYS.join(', ')})`,
      );
  }
  for (const [i, entry] of listOf(config['write_files']).entries()) {
    const f = (entry ?? {}) as Record<string, unknown>;
    if (typeof f['path'] !== 'string' || !f['path'].startsWith('/')) {
      plan.unsupported.push(
        `write_files[${i}]: path must be an absolute path, got ${JSON.stringify(f['path'])}`,
      );
      continue;
    }
    const encoding = typeof f['encoding'] === 'string' ? f['encoding'] : 'text/plain';
    const raw = typeof f['content'] === 'string' ? f['content'] : '';
    const base64 = ['b64', 'base64'].includes(encoding);
    if (!base64 && encoding !== 'text/plain') {
      plan.unsupported.push(`write_files[${i}]: encoding "${encoding}" (supported: text/plain, b64, base64)`);
      continue;
    }
    plan.files.push({
      path: f['path'],
      content: base64 ? Buffer.from(raw, 'base64').toString('utf8') : raw,
      permissions: permissionsOf(f['permissions']),
      append: f['append'] === true,
    });
  }
  for (const entry of listOf(config['users'])) {
    if (entry === 'default') continue;
    const u = (typeof entry === 'string' ? { name: entry } : (entry ?? {})) as Record<string, unknown>;
    if (typeof u['name'] !== 'string' || !/^[a-z_][a-z0-9_-]*$/.test(u['name'])) {
      plan.unsupported.push(
        `users: a user needs a name of lower-case letters, digits, _ or -, got ${JSON.stringify(u['name'])}`,
      );
      continue;
    }
    const keys = listOf(u['ssh_authorized_keys']).filter((k): k is string => typeof k === 'string');
    plan.users.push({ name: u['name'], sshAuthorizedKeys: keys });
  }
  for (const cmd of listOf(config['runcmd'])) {
    if (typeof cmd === 'string') plan.commands.push(cmd);
    else if (Array.isArray(cmd)) plan.commands.push(cmd.map(String));
  }
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function permissionsOf(value: unknown): string {
  if (typeof value === 'number') return value.toString(8);
  if (typeof value === 'string' && /^0?[0-7]{3,4}$/.test(value)) return value;
  return '0644';
}

/** The parts of a multipart MIME message (nested multiparts flattened; base64 and 7bit bodies). */
export function mimeParts(message: string): Part[] {
  const [headers, body] = splitHeaders(message);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!type.toLowerCase().startsWith('multipart/') || !boundary) {
    const text =
      (headers['content-transfer-encoding'] ?? '').toLowerCase() === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
    return [{ contentType: type.split(';')[0]!.trim().toLowerCase(), text }];
  }
  const sections = body.split(new RegExp(`^--${escapeRegExp(boundary)}(?:--)?[ \\t]*$`, 'm')).slice(1, -1);
  return sections.flatMap((section) => mimeParts(section.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
}

function splitHeaders(text: string): [Record<string, string>, string] {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const body = match ? text.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return [headers, body];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
