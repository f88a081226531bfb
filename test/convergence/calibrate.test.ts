import { it } from 'vitest';
import { figuresOf, runCrashRounds } from './driver.js';
it('calibrate', async () => {
  const r = await runCrashRounds({ rounds: 5, seed: 7, noKill: true, log: (l) => console.log(l) });
  console.log(JSON.stringify(figuresOf(r, 7)));
}, 600_000);
