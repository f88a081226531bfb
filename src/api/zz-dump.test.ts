import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { buildApi } from './app.js';
import { fakeEngine } from './testing/fake-engine.js';
it('dumps', async () => {
  const app = buildApi(fakeEngine(), { insecureNoauth: true });
  const res = await app.inject({ url: '/openapi.json' });
  writeFileSync('/tmp/oa/doc.json', JSON.stringify(res.json(), null, 1));
  console.log(res.statusCode, Object.keys(res.json().paths).length);
  await app.close();
});
