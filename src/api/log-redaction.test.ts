import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { redactUrl, redactingLogger } from './log-redaction.js';

describe('redactUrl', () => {
  it('masks credential parameters and keeps the rest', () => {
    expect(redactUrl('/v1/p/stacks/s/i/resources/r/signal?signal_token=abc&x=1')).toBe(
      '/v1/p/stacks/s/i/resources/r/signal?signal_token=***&x=1',
    );
    expect(redactUrl('/v1/signal/deployments/d?expires=9&signature=zz')).toBe(
      '/v1/signal/deployments/d?expires=9&signature=***',
    );
    expect(redactUrl('/v1/p/stacks?limit=2')).toBe('/v1/p/stacks?limit=2');
    expect(redactUrl('/v1/p/x?Token=a%20b')).toBe('/v1/p/x?Token=***');
  });
});

describe('redactingLogger', () => {
  it('never writes a signal token into the request log', async () => {
    let logged = '';
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    const app = Fastify({ logger: redactingLogger({ level: 'info', stream }) });
    app.get('/x', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/x?signal_token=s3cr3t-value&y=2' });
    await app.close();
    expect(logged).toContain('signal_token=***');
    expect(logged).not.toContain('s3cr3t-value');
  });
});
