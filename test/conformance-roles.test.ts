/**
 * Both shared conformance corpora (recorded from real Heat 19) through the split roles: one `hearth api` and two
 * `hearth engine` processes on PostgreSQL — every create, update, rollback, cancel, hook and delete goes through
 * the task queue and may run on either engine.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../src/store/testing/databases.js';
import { expectCorpusPassed, runNode, SHARED, type HearthProcess } from './helpers/hearth.js';
import { startRole } from './helpers/roles.js';

describe.skipIf(!TEST_DIALECTS.includes('postgres'))(
  'conformance through hearth api + 2 hearth engine',
  () => {
    let database: TestDatabase;
    const processes: HearthProcess[] = [];
    let apiUrl = '';

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      const apiProcess = await startRole('api', database.url, { extraArgs: ['--log', 'warn'] });
      apiUrl = apiProcess.url;
      processes.push(apiProcess);
      for (let i = 0; i < 2; i++) {
        processes.push(
          await startRole('engine', database.url, { extraArgs: ['--public-url', apiUrl, '--log', 'warn'] }),
        );
      }
    }, 60_000);

    afterAll(async () => {
      await Promise.all(processes.map((p) => p.stop()));
      await database?.drop();
    });

    /** Runs one corpus with its own runner against the api; every case must pass. */
    async function runCorpus(runner: string, corpus: string, project: string): Promise<void> {
      const { code, output } = await runNode([
        join(SHARED, 'conformance', runner),
        '--endpoint',
        `${apiUrl}/v1/${project}`,
        '--jobs',
        '4',
        join(SHARED, 'conformance', corpus),
      ]);
      console.log(`${corpus} (roles): ${output.trim().split('\n').pop()}`);
      expect(
        output.split('\n').filter((l) => l.startsWith('FAIL')),
        output,
      ).toEqual([]);
      expect(code, output).toBe(0);
      expectCorpusPassed(output, join(SHARED, 'conformance', corpus));
    }

    it('HOT corpus: every case', () => runCorpus('run.mjs', 'hot', 'conf'), 600_000);

    it('lifecycle corpus: every case', () => runCorpus('lifecycle.mjs', 'lifecycle', 'life'), 600_000);
  },
);
