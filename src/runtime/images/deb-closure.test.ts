import { describe, expect, it } from 'vitest';
import { chooseAlternative, parseAptDepends } from './deb-closure.js';

/** `apt-cache depends --no-recommends …` as bookworm prints it (trimmed). */
const SAMPLE = `haproxy
  PreDepends: dpkg
  Depends: libc6
  Depends: libsystemd0
    libelogind0
  Depends: adduser
postgresql-15
 |Depends: locales
  Depends: locales-all
 |Depends: debconf
  Depends: <debconf-2.0>
    cdebconf
    debconf
  Suggests: postgresql-doc-15
  Depends: libpq5
rabbitmq-server
 |Depends: erlang-base
  Depends: <erlang-base-hipe>
  Depends: <python3:any>
    python3
`;

describe('parseAptDepends', () => {
  const parsed = parseAptDepends(SAMPLE);

  it('reads Depends and PreDepends groups, alternatives and providers, ignoring other relations', () => {
    expect([...parsed.keys()]).toEqual(['haproxy', 'postgresql-15', 'rabbitmq-server']);
    expect(parsed.get('haproxy')).toEqual([
      [{ name: 'dpkg', virtual: false, providers: [] }],
      [{ name: 'libc6', virtual: false, providers: [] }],
      [{ name: 'libsystemd0', virtual: false, providers: ['libelogind0'] }],
      [{ name: 'adduser', virtual: false, providers: [] }],
    ]);
    expect(parsed.get('postgresql-15')).toEqual([
      [
        { name: 'locales', virtual: false, providers: [] },
        { name: 'locales-all', virtual: false, providers: [] },
      ],
      [
        { name: 'debconf', virtual: false, providers: [] },
        { name: 'debconf-2.0', virtual: true, providers: ['cdebconf', 'debconf'] },
      ],
      [{ name: 'libpq5', virtual: false, providers: [] }],
    ]);
  });

  it('drops architecture qualifiers', () => {
    expect(parsed.get('rabbitmq-server')?.[1]).toEqual([
      { name: 'python3', virtual: true, providers: ['python3'] },
    ]);
  });
});

describe('chooseAlternative', () => {
  const groups = parseAptDepends(SAMPLE);
  const none = new Set<string>();

  it('takes the first alternative, a virtual package by its first provider', () => {
    expect(chooseAlternative('p', groups.get('postgresql-15')![0]!, none, none)).toBe('locales');
    expect(chooseAlternative('p', groups.get('rabbitmq-server')![1]!, none, none)).toBe('python3');
    expect(
      chooseAlternative(
        'p',
        [
          { name: 'x', virtual: true, providers: [] },
          { name: 'y', virtual: false, providers: [] },
        ],
        none,
        none,
      ),
    ).toBe('y');
  });

  it('skips groups that an excluded or already chosen package satisfies', () => {
    const group = groups.get('postgresql-15')![0]!;
    expect(chooseAlternative('p', group, new Set(['locales-all']), none)).toBeUndefined();
    expect(chooseAlternative('p', group, none, new Set(['locales']))).toBeUndefined();
    expect(
      chooseAlternative('p', groups.get('postgresql-15')![1]!, none, new Set(['debconf-2.0'])),
    ).toBeUndefined();
  });

  it('names the package and the dependency nothing provides', () => {
    expect(() =>
      chooseAlternative(
        'rabbitmq-server',
        [{ name: 'erlang-base-hipe', virtual: true, providers: [] }],
        none,
        none,
      ),
    ).toThrow('package rabbitmq-server depends on erlang-base-hipe, which no package provides');
  });
});
