import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authRequestBody, catalogEndpoints } from './auth-session.js';
import { cloudsYamlPaths, identityUrl, resolveCredentials } from './credentials.js';

const dirs = () => {
  const root = mkdtempSync(join(tmpdir(), 'hearth-creds-'));
  const home = join(root, 'home');
  const cwd = join(root, 'cwd');
  mkdirSync(join(home, '.config', 'openstack'), { recursive: true });
  mkdirSync(cwd);
  return { home, cwd };
};

describe('resolveCredentials', () => {
  it('answers undefined without an auth URL, a cloud or a token (noauth endpoint)', () => {
    expect(resolveCredentials({}, {})).toBeUndefined();
    expect(resolveCredentials({}, { HEARTH_ENDPOINT: 'http://x/v1/p' })).toBeUndefined();
  });

  it('reads OS_* variables, with flags taking precedence, and appends /v3 to the auth URL', () => {
    const env = {
      OS_AUTH_URL: 'http://127.0.0.1:8004',
      OS_USERNAME: 'alice',
      OS_PASSWORD: 'env-pw',
      OS_PROJECT_NAME: 'web',
      OS_USER_DOMAIN_NAME: 'Default',
    };
    expect(resolveCredentials({}, env)).toEqual({
      authUrl: 'http://127.0.0.1:8004/v3',
      username: 'alice',
      password: 'env-pw',
      userDomainName: 'Default',
      projectName: 'web',
      projectDomainName: 'Default',
      interface: 'public',
    });
    const flags = resolveCredentials(
      { osPassword: 'flag-pw', osProjectId: 'p1', osAuthUrl: 'http://h/v3/' },
      env,
    );
    expect(flags).toMatchObject({
      authUrl: 'http://h/v3',
      password: 'flag-pw',
      projectId: 'p1',
      projectName: 'web',
    });
    expect(
      resolveCredentials({}, { ...env, OS_PROJECT_NAME: undefined, OS_TENANT_NAME: 'legacy' })?.projectName,
    ).toBe('legacy');
  });

  it('reads a cloud of clouds.yaml from the working directory first, then ~/.config/openstack, with secure.yaml', () => {
    const { home, cwd } = dirs();
    writeFileSync(
      join(home, '.config', 'openstack', 'clouds.yaml'),
      [
        'clouds:',
        '  hearth:',
        '    region_name: RegionOne',
        '    interface: internal',
        '    auth:',
        '      auth_url: http://home:8004/v3',
        '      username: bob',
        '      project_name: ops',
        '      user_domain_name: Default',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(home, '.config', 'openstack', 'secure.yaml'),
      'clouds:\n  hearth:\n    auth:\n      password: from-secure\n',
    );
    const env = { HOME: home, OS_CLOUD: 'hearth' };
    expect(resolveCredentials({}, env, cwd)).toMatchObject({
      authUrl: 'http://home:8004/v3',
      username: 'bob',
      password: 'from-secure',
      projectName: 'ops',
      regionName: 'RegionOne',
      interface: 'internal',
    });
    expect(resolveCredentials({ osPassword: 'flag' }, env, cwd)?.password).toBe('flag');
    writeFileSync(
      join(cwd, 'clouds.yaml'),
      'clouds:\n  hearth:\n    auth:\n      auth_url: http://cwd:1\n      application_credential_id: c1\n      application_credential_secret: s\n',
    );
    expect(resolveCredentials({}, env, cwd)).toMatchObject({
      authUrl: 'http://cwd:1/v3',
      applicationCredentialId: 'c1',
      applicationCredentialSecret: 's',
    });
    expect(cloudsYamlPaths({ HOME: home }, cwd)).toEqual([
      join(cwd, 'clouds.yaml'),
      join(home, '.config', 'openstack', 'clouds.yaml'),
      '/etc/openstack/clouds.yaml',
    ]);
  });

  it('names what is missing or wrong', () => {
    const { home, cwd } = dirs();
    expect(() => resolveCredentials({ osCloud: 'nope' }, { HOME: home }, cwd)).toThrow(
      /--os-cloud nope: no clouds\.yaml found \(searched .*clouds\.yaml/,
    );
    writeFileSync(join(cwd, 'clouds.yaml'), 'clouds:\n  a: {auth: {auth_url: http://a}}\n  b: {}\n');
    expect(() => resolveCredentials({ osCloud: 'c' }, { HOME: home }, cwd)).toThrow(
      `--os-cloud c: no cloud of that name in ${join(cwd, 'clouds.yaml')} (clouds there: a, b)`,
    );
    expect(() => resolveCredentials({ osAuthUrl: 'http://h' }, {})).toThrow(
      'http://h/v3: no credential given',
    );
    expect(() => resolveCredentials({ osAuthUrl: 'http://h', osUsername: 'u' }, {})).toThrow(
      '--os-password is missing for user u',
    );
    expect(() => resolveCredentials({ osPassword: 'p', osUsername: 'u' }, { OS_TOKEN: 't' })).toThrow(
      'credentials need an identity URL',
    );
    expect(() => resolveCredentials({ osAuthUrl: 'http://h', osApplicationCredentialId: 'c' }, {})).toThrow(
      '--os-application-credential-secret is missing',
    );
  });
});

describe('the sign-in request', () => {
  const base = {
    authUrl: 'http://h/v3',
    userDomainName: 'Default',
    projectDomainName: 'Default',
    interface: 'public',
  };

  it('builds password, application credential and token bodies as keystoneauth does', () => {
    expect(authRequestBody({ ...base, username: 'u', password: 'p', projectName: 'web' })).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'u', domain: { name: 'Default' }, password: 'p' } },
        },
        scope: { project: { name: 'web', domain: { name: 'Default' } } },
      },
    });
    expect(authRequestBody({ ...base, userId: 'u1', password: 'p', projectId: 'p1' })).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { id: 'u1', password: 'p' } } },
        scope: { project: { id: 'p1' } },
      },
    });
    expect(
      authRequestBody({ ...base, applicationCredentialId: 'c', applicationCredentialSecret: 's' }),
    ).toEqual({
      auth: {
        identity: { methods: ['application_credential'], application_credential: { id: 'c', secret: 's' } },
      },
    });
    expect(authRequestBody({ ...base, token: 't', projectName: 'web' })).toMatchObject({
      auth: { identity: { methods: ['token'], token: { id: 't' } } },
    });
  });

  it('takes endpoints of the interface and region from the catalog', () => {
    const catalog = [
      {
        type: 'orchestration',
        endpoints: [
          { interface: 'public', region_id: 'R1', url: 'http://pub/v1/p/' },
          { interface: 'internal', region_id: 'R1', url: 'http://int/v1/p' },
          { interface: 'public', region_id: 'R2', url: 'http://r2/v1/p' },
        ],
      },
      { type: 'identity', endpoints: [{ interface: 'public', region_id: 'R1', url: 'http://pub/v3' }] },
    ];
    expect(catalogEndpoints(catalog, 'public')).toEqual({
      orchestration: 'http://pub/v1/p',
      identity: 'http://pub/v3',
    });
    expect(catalogEndpoints(catalog, 'public', 'R2')).toEqual({ orchestration: 'http://r2/v1/p' });
    expect(catalogEndpoints(catalog, 'internal')).toEqual({ orchestration: 'http://int/v1/p' });
    expect(identityUrl('http://h:5000/')).toBe('http://h:5000/v3');
  });
});
