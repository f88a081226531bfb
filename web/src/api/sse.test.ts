import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.js';

describe('SseParser', () => {
  it('parses messages split across chunks, with ids, names and multi-line data', () => {
    const p = new SseParser();
    expect(p.push('retry: 2000\n\nevent: st')).toEqual([]);
    expect(
      p.push('ack\ndata: {"a":1}\n\n: keep-alive\n\nid: e1\nevent: event\ndata: x\ndata: y\r\n\r'),
    ).toEqual([{ event: 'stack', data: '{"a":1}' }]);
    expect(p.push('\ndata:z\n\n')).toEqual([
      { event: 'event', data: 'x\ny', id: 'e1' },
      { event: 'message', data: 'z' },
    ]);
  });
});
