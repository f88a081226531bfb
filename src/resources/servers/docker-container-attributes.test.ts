import { describe, expect, it } from 'vitest';
import { maskEnvironment } from './docker-container.js';

describe('the info attribute of DockerInc::Docker::Container', () => {
  it('masks every environment value and keeps the names and the rest of the document', () => {
    const info = {
      Id: 'abc',
      Config: { Env: ['DB_URL=postgres://hearth:s3cret@db/hearth', 'EMPTY=', 'ODD'], Cmd: ['sh'] },
    };
    const masked = maskEnvironment(info);
    expect(masked).toEqual({
      Id: 'abc',
      Config: { Env: ['DB_URL=******', 'EMPTY=******', 'ODD'], Cmd: ['sh'] },
    });
    expect(JSON.stringify(masked)).not.toContain('s3cret');
    expect(info.Config.Env[0]).toContain('s3cret'); // the input is not changed
  });

  it('leaves documents without an environment alone', () => {
    expect(maskEnvironment({ Id: 'x' })).toEqual({ Id: 'x' });
  });
});
