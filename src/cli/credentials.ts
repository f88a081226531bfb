/**
 * Where the CLI's credentials come from, as the openstack client: `--os-*` flags, then the `OS_*` environment
 * variables, then a cloud of a `clouds.yaml` file (`--os-cloud NAME` / `OS_CLOUD`, searched in `./clouds.yaml`,
 * `~/.config/openstack/clouds.yaml`, `/etc/openstack/clouds.yaml`, with passwords possibly in a `secure.yaml`
 * beside it, as openstacksdk).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CliError } from './io.js';

/** The `--os-*` global options (commander's camel-case names). */
export interface CredentialOptions {
  osAuthUrl?: string;
  osUsername?: string;
  osUserId?: string;
  osPassword?: string;
  osProjectName?: string;
  osProjectId?: string;
  osUserDomainName?: string;
  osProjectDomainName?: string;
  osApplicationCredentialId?: string;
  osApplicationCredentialName?: string;
  osApplicationCredentialSecret?: string;
  osCloud?: string;
  osToken?: string;
  osRegionName?: string;
  osInterface?: string;
}

/** Resolved credentials. */
export interface Credentials {
  /** The identity endpoint, ending in `/v3`; absent only with a bare token (used as is on an explicit endpoint). */
  readonly authUrl?: string;
  readonly username?: string;
  readonly userId?: string;
  readonly password?: string;
  readonly userDomainName: string;
  readonly projectName?: string;
  readonly projectId?: string;
  readonly projectDomainName: string;
  readonly applicationCredentialId?: string;
  readonly applicationCredentialName?: string;
  readonly applicationCredentialSecret?: string;
  readonly token?: string;
  readonly regionName?: string;
  /** Catalog interface to use (default `public`). */
  readonly interface: string;
}

/** The settings a cloud or the environment may give, in clouds.yaml's `auth` key names. */
type Settings = Partial<Record<SettingKey, string>>;

const SETTINGS = {
  auth_url: ['osAuthUrl', 'OS_AUTH_URL'],
  username: ['osUsername', 'OS_USERNAME'],
  user_id: ['osUserId', 'OS_USER_ID'],
  password: ['osPassword', 'OS_PASSWORD'],
  project_name: ['osProjectName', 'OS_PROJECT_NAME'],
  project_id: ['osProjectId', 'OS_PROJECT_ID'],
  user_domain_name: ['osUserDomainName', 'OS_USER_DOMAIN_NAME'],
  project_domain_name: ['osProjectDomainName', 'OS_PROJECT_DOMAIN_NAME'],
  application_credential_id: ['osApplicationCredentialId', 'OS_APPLICATION_CREDENTIAL_ID'],
  application_credential_name: ['osApplicationCredentialName', 'OS_APPLICATION_CREDENTIAL_NAME'],
  application_credential_secret: ['osApplicationCredentialSecret', 'OS_APPLICATION_CREDENTIAL_SECRET'],
  token: ['osToken', 'OS_TOKEN'],
  region_name: ['osRegionName', 'OS_REGION_NAME'],
  interface: ['osInterface', 'OS_INTERFACE'],
} as const satisfies Record<string, readonly [keyof CredentialOptions, string]>;

type SettingKey = keyof typeof SETTINGS;

/** Legacy environment names still honoured (`OS_TENANT_NAME`, …). */
const LEGACY_ENV: Partial<Record<SettingKey, string>> = {
  project_name: 'OS_TENANT_NAME',
  project_id: 'OS_TENANT_ID',
};

/** Where clouds.yaml is searched, in order (openstacksdk's places). */
export function cloudsYamlPaths(env: NodeJS.ProcessEnv, cwd = process.cwd()): string[] {
  const home = env['HOME'] || homedir();
  const explicit = env['OS_CLIENT_CONFIG_FILE'];
  return [
    ...(explicit ? [explicit] : []),
    join(cwd, 'clouds.yaml'),
    join(home, '.config', 'openstack', 'clouds.yaml'),
    '/etc/openstack/clouds.yaml',
  ];
}

/** A YAML mapping's string-valued entries (numbers and booleans as text). */
function stringEntries(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** One cloud of a clouds.yaml (or secure.yaml) file, flattened to settings; undefined if absent. */
function cloudIn(file: string, name: string): { settings: Settings; names: string[] } {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`${file}: not a readable clouds.yaml (${(err as Error).message})`);
  }
  const clouds = (doc as { clouds?: unknown } | null)?.clouds;
  const all = typeof clouds === 'object' && clouds !== null ? (clouds as Record<string, unknown>) : {};
  const cloud = all[name] as Record<string, unknown> | undefined;
  if (!cloud) return { settings: {}, names: Object.keys(all) };
  const settings: Settings = {};
  const top = stringEntries(cloud);
  const auth = stringEntries(cloud['auth']);
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const value = auth[key] ?? top[key];
    if (value !== undefined) settings[key] = value;
  }
  return { settings, names: Object.keys(all) };
}

/** The settings of the cloud `name` (secure.yaml beside the file overrides it). @throws CliError */
export function loadCloud(name: string, env: NodeJS.ProcessEnv, cwd = process.cwd()): Settings {
  const searched = cloudsYamlPaths(env, cwd);
  const file = searched.find((p) => existsSync(p));
  if (!file) {
    throw new CliError(`--os-cloud ${name}: no clouds.yaml found (searched ${searched.join(', ')})`);
  }
  const { settings, names } = cloudIn(file, name);
  if (Object.keys(settings).length === 0) {
    const known = names.length ? names.join(', ') : 'none';
    throw new CliError(`--os-cloud ${name}: no cloud of that name in ${file} (clouds there: ${known})`);
  }
  const secure = file.replace(/clouds\.yaml$/, 'secure.yaml');
  if (secure !== file && existsSync(secure)) Object.assign(settings, cloudIn(secure, name).settings);
  return settings;
}

/** `…/v3` for an auth URL given with or without its version. */
export function identityUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return /\/v3$/.test(base) ? base : `${base}/v3`;
}

/**
 * The credentials from flags, environment and clouds.yaml (in that order of precedence); undefined when none of
 * them names an auth URL, a cloud or a token (the CLI then talks to a noauth endpoint).
 * @throws CliError for incomplete credentials, naming what is missing
 */
export function resolveCredentials(
  opts: CredentialOptions,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): Credentials | undefined {
  const cloudName = opts.osCloud ?? env['OS_CLOUD'];
  const cloud = cloudName ? loadCloud(cloudName, env, cwd) : {};
  const pick = (key: SettingKey): string | undefined => {
    const [flag, envName] = SETTINGS[key];
    const legacy = LEGACY_ENV[key];
    return opts[flag] || env[envName] || (legacy ? env[legacy] : undefined) || cloud[key] || undefined;
  };
  const authUrl = pick('auth_url');
  const token = pick('token');
  if (!authUrl && !token && !cloudName) return undefined;
  const creds: Credentials = {
    ...(authUrl ? { authUrl: identityUrl(authUrl) } : {}),
    ...optional('username', pick('username')),
    ...optional('userId', pick('user_id')),
    ...optional('password', pick('password')),
    userDomainName: pick('user_domain_name') ?? 'Default',
    ...optional('projectName', pick('project_name')),
    ...optional('projectId', pick('project_id')),
    projectDomainName: pick('project_domain_name') ?? 'Default',
    ...optional('applicationCredentialId', pick('application_credential_id')),
    ...optional('applicationCredentialName', pick('application_credential_name')),
    ...optional('applicationCredentialSecret', pick('application_credential_secret')),
    ...optional('token', token),
    ...optional('regionName', pick('region_name')),
    interface: (pick('interface') ?? 'public').replace(/URL$/, ''),
  };
  checkComplete(creds);
  return creds;
}

/** `{key: value}` when the value is defined. */
function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Which way the credentials sign in. */
export type SignInMethod = 'password' | 'application_credential' | 'token';

/** The sign-in method the credentials allow (application credential, then password, then token). */
export function signInMethod(creds: Credentials): SignInMethod {
  if (creds.applicationCredentialSecret) return 'application_credential';
  if (creds.password !== undefined) return 'password';
  return 'token';
}

/** Checks the credentials are usable. @throws CliError naming what is missing */
function checkComplete(creds: Credentials): void {
  const method =
    creds.applicationCredentialSecret || creds.applicationCredentialId
      ? 'application_credential'
      : creds.password !== undefined || creds.username || creds.userId
        ? 'password'
        : creds.token
          ? 'token'
          : undefined;
  if (!creds.authUrl && method !== 'token') {
    throw new CliError(
      'credentials need an identity URL: give --os-auth-url (or OS_AUTH_URL, or auth_url in clouds.yaml)',
    );
  }
  if (method === undefined) {
    throw new CliError(
      `${creds.authUrl}: no credential given: use --os-username and --os-password, ` +
        '--os-application-credential-id and --os-application-credential-secret, or --os-token',
    );
  }
  if (method === 'application_credential') {
    if (!creds.applicationCredentialSecret) {
      throw new CliError(
        '--os-application-credential-secret is missing (it goes with --os-application-credential-id)',
      );
    }
    if (
      !creds.applicationCredentialId &&
      !(creds.applicationCredentialName && (creds.username || creds.userId))
    ) {
      throw new CliError(
        'an application credential needs --os-application-credential-id, or its name with --os-username',
      );
    }
  }
  if (method === 'password') {
    if (!creds.username && !creds.userId)
      throw new CliError('--os-username is missing (it goes with --os-password)');
    if (creds.password === undefined) {
      throw new CliError(`--os-password is missing for user ${creds.username ?? creds.userId}`);
    }
  }
}
