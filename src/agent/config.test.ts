import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConfigError, loadAgentConfig, parseAgentConfig } from './config.js';

const good = {
  collectors: ['hearth'],
  hearth: {
    endpoint: 'http://127.0.0.1:8004/v1/p1/',
    server_id: 's1',
    token: 'hth1.p1.s1.mac',
    stack_id: 'st/1',
    resource_name: 'server',
    polling_interval: 10,
  },
};

/** The message of the AgentConfigError that parsing `doc` throws. */
function problem(doc: unknown): string {
  try {
    parseAgentConfig(doc, '/etc/hearth-agent.json');
  } catch (err) {
    expect(err).toBeInstanceOf(AgentConfigError);
    return (err as Error).message;
  }
  throw new Error('no error');
}

const withHearth = (fields: Record<string, unknown>) => ({ hearth: { ...good.hearth, ...fields } });

describe('parseAgentConfig', () => {
  it('reads an os_collect_config (trailing slash of the endpoint dropped)', () => {
    expect(parseAgentConfig(good, 'f')).toEqual({
      endpoint: 'http://127.0.0.1:8004/v1/p1',
      serverId: 's1',
      token: 'hth1.p1.s1.mac',
      stackId: 'st/1',
      resourceName: 'server',
      pollingIntervalSeconds: 10,
    });
    const minimal = parseAgentConfig(
      { hearth: { endpoint: 'https://h/v1/p', server_id: 's', token: 't' } },
      'f',
    );
    expect(minimal).toEqual({
      endpoint: 'https://h/v1/p',
      serverId: 's',
      token: 't',
      pollingIntervalSeconds: 30,
    });
  });

  it('says where, what was received and what is allowed', () => {
    const cases: [unknown, string][] = [
      [[1], '/etc/hearth-agent.json: must be a JSON object (os_collect_config), got [1]'],
      [{ ...good, collectors: ['ec2'] }, '"collectors" must list "hearth", got ["ec2"]'],
      [{ collectors: 'hearth', hearth: good.hearth }, '"collectors" must list "hearth", got "hearth"'],
      [{ heat: {} }, '"hearth" must be an object with endpoint, server_id and token, got undefined'],
      [withHearth({ endpoint: undefined }), '"hearth.endpoint" must be a non-empty string, got nothing'],
      [withHearth({ server_id: '' }), '"hearth.server_id" must be a non-empty string, got ""'],
      [withHearth({ token: 42 }), '"hearth.token" must be a non-empty string, got 42'],
      [withHearth({ stack_id: 7 }), '"hearth.stack_id" must be a non-empty string, got 7'],
      [withHearth({ endpoint: 'not a url' }), '"hearth.endpoint" must be an http(s) URL, got "not a url"'],
      [
        withHearth({ endpoint: 'ftp://h/v1/p' }),
        '"hearth.endpoint" must be an http(s) URL, got "ftp://h/v1/p"',
      ],
      [
        withHearth({ polling_interval: 0 }),
        '"hearth.polling_interval" must be a positive number of seconds, got 0',
      ],
      [withHearth({ polling_interval: '30' }), 'must be a positive number of seconds, got "30"'],
    ];
    for (const [doc, message] of cases) {
      const got = problem(doc);
      expect(got.startsWith('/etc/hearth-agent.json: ')).toBe(true);
      expect(got).toContain(message);
    }
  });

  it('never puts the token in a message', () => {
    expect(problem(withHearth({ endpoint: 'bad' }))).not.toContain('hth1.p1.s1.mac');
  });
});

describe('loadAgentConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-agent-config-'));

  it('names a file that cannot be read, or is not JSON, with the reason', () => {
    const missing = join(dir, 'missing.json');
    expect(() => loadAgentConfig(missing)).toThrow(new RegExp(`^${missing}: cannot read the file \\(ENOENT`));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"hearth": ');
    expect(() => loadAgentConfig(broken)).toThrow(new RegExp(`^${broken}: not JSON \\(`));
  });

  it('reads a good file', () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(good));
    expect(loadAgentConfig(file).serverId).toBe('s1');
  });
});
