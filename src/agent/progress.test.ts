import { describe, expect, it } from 'vitest';
import { agentLogger } from './log.js';
import { ProgressReporter, type ProgressSink } from './progress.js';

/** A sink recording each report (the agent API client's `progress`, without a server). */
function recorder(fail = false) {
  const reports: { id: string; lines: string[]; heartbeat: boolean }[] = [];
  const sink: ProgressSink = {
    progress: (id, lines, heartbeat) => {
      reports.push({ id, lines, heartbeat });
      return fail ? Promise.reject(new Error('HTTP 503')) : Promise.resolve();
    },
  };
  return { reports, sink };
}

const log = agentLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ProgressReporter', () => {
  it('batches lines for flushMs, then sends them in one report', async () => {
    const { reports, sink } = recorder();
    const p = new ProgressReporter(sink, 'd1', log, { flushMs: 50, heartbeatMs: 60_000 });
    p.line('one');
    p.line('two');
    expect(reports).toEqual([]);
    await sleep(120);
    expect(reports).toEqual([{ id: 'd1', lines: ['one', 'two'], heartbeat: false }]);
    p.line('three');
    await p.close();
    expect(reports[1]).toEqual({ id: 'd1', lines: ['three'], heartbeat: false });
  });

  it('keeps at most maxLines per report and counts the rest; cuts long lines', async () => {
    const { reports, sink } = recorder();
    const p = new ProgressReporter(sink, 'd1', log, { flushMs: 10_000, maxLines: 3, maxLineChars: 5 });
    for (const line of ['a', 'b', 'c', 'd', 'e']) p.line(line);
    p.line('123456789');
    await p.close();
    expect(reports).toEqual([
      { id: 'd1', lines: ['a', 'b', 'c', '(3 more lines not reported)'], heartbeat: false },
    ]);
    const q = new ProgressReporter(sink, 'd2', log, { maxLineChars: 5 });
    q.line('123456789');
    await q.close();
    expect(reports[1]!.lines).toEqual(['12345…']);
  });

  it('sends heartbeats while the hook runs, and none after close', async () => {
    const { reports, sink } = recorder();
    const p = new ProgressReporter(sink, 'd1', log, { heartbeatMs: 40 });
    await sleep(100);
    await p.close();
    const beats = reports.filter((r) => r.heartbeat);
    expect(beats.length).toBeGreaterThanOrEqual(1);
    expect(beats[0]).toEqual({ id: 'd1', lines: [], heartbeat: true });
    const count = reports.length;
    await sleep(100);
    expect(reports.length).toBe(count);
  });

  it('is best effort: failed reports are dropped and close still resolves', async () => {
    const { reports, sink } = recorder(true);
    const p = new ProgressReporter(sink, 'd1', log, { flushMs: 5 });
    p.line('lost');
    await sleep(30);
    p.line('lost too');
    await expect(p.close()).resolves.toBeUndefined();
    expect(reports.map((r) => r.lines)).toEqual([['lost'], ['lost too']]);
  });
});
