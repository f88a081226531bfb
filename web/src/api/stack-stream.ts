/**
 * The live feed of one stack (`GET …/stacks/{name}/{id}/stream`), read with `fetch` so the token travels in a
 * header. It resumes after the last event received (`Last-Event-ID`), reconnects with a growing delay when the
 * connection drops or goes silent, and reports every change of connection state so the page can say whether
 * what it shows is live.
 */
import { errorFromBody, type ApiClient } from './client.js';
import { SseParser, type SseMessage } from './sse.js';

/** Connection state as shown to the user. */
export type StreamState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'retrying'; attempt: number; retryAt: number; reason: string }
  | { kind: 'closed'; reason: string };

/** What the owner of a stream hears. */
export interface StreamHandlers {
  /** Each (re)connection; `resumed` when an earlier connection was open (something may have been missed). */
  onOpen(resumed: boolean): void;
  onMessage(message: SseMessage): void;
  onState(state: StreamState): void;
  /** The server says the stack is gone (404 on connect). */
  onGone(): void;
}

/** Timing (tests and the page may shorten it). */
export interface StreamTiming {
  /** No byte for this long means the connection is dead; the server sends keep-alives every 15 s. */
  silenceMs: number;
  /** First retry delay; doubles up to {@link maxDelayMs}. */
  firstDelayMs: number;
  maxDelayMs: number;
}

const DEFAULT_TIMING: StreamTiming = { silenceMs: 40_000, firstDelayMs: 1000, maxDelayMs: 30_000 };

/** A running feed; {@link StackStream.close} stops it for good. */
export class StackStream {
  private lastEventId: string | undefined;
  /** Whether a connection was open before (the next one is a resumption). */
  private connected = false;
  private attempt = 0;
  private closed = false;
  private controller: AbortController | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly timing: StreamTiming;

  constructor(
    private readonly client: ApiClient,
    private readonly stackPath: string,
    private readonly handlers: StreamHandlers,
    options: { lastEventId?: string; timing?: Partial<StreamTiming> } = {},
  ) {
    this.lastEventId = options.lastEventId;
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    window.addEventListener('online', this.reconnectNow);
    void this.connect();
  }

  /** Stops the feed. */
  close(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.reconnectNow);
    this.controller?.abort();
    this.handlers.onState({ kind: 'closed', reason });
  }

  /** Retries at once (the browser came back online, or the user asked). */
  readonly reconnectNow = (): void => {
    if (this.closed || this.controller) return;
    clearTimeout(this.retryTimer);
    void this.connect();
  };

  private async connect(): Promise<void> {
    this.handlers.onState({ kind: 'connecting' });
    const controller = new AbortController();
    this.controller = controller;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const watch = () => {
      clearTimeout(silence);
      silence = setTimeout(() => controller.abort(new Error('silent')), this.timing.silenceMs);
    };
    let failure = 'the connection was lost';
    try {
      watch();
      const headers = this.client.headers(
        this.lastEventId
          ? { 'last-event-id': this.lastEventId, accept: 'text/event-stream' }
          : { accept: 'text/event-stream' },
      );
      const res = await fetch(this.client.url(`${this.stackPath}/stream`), {
        headers,
        signal: controller.signal,
        cache: 'no-store',
      });
      if (!res.ok || !res.body) {
        const error = errorFromBody(res.status, await res.json().catch(() => null), `HTTP ${res.status}`);
        if (res.status === 404) {
          this.handlers.onGone();
          this.close('the stack is gone');
          return;
        }
        if (res.status === 401) {
          this.close('signed out');
          this.client.expire();
          return;
        }
        throw error;
      }
      const resumed = this.connected;
      this.connected = true;
      this.attempt = 0;
      this.handlers.onState({ kind: 'live' });
      this.handlers.onOpen(resumed);
      const parser = new SseParser();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        watch();
        for (const m of parser.push(value)) {
          if (m.id !== undefined) this.lastEventId = m.id;
          this.handlers.onMessage(m);
          if (m.event === 'gone') {
            this.close('the stack is gone');
            return;
          }
        }
      }
      failure = 'the server ended the connection';
    } catch (err) {
      if (this.closed) return;
      failure =
        controller.signal.reason instanceof Error && controller.signal.reason.message === 'silent'
          ? 'no data for too long'
          : err instanceof Error && err.message
            ? `the connection failed (${err.message})`
            : 'the connection failed';
    } finally {
      clearTimeout(silence);
      if (this.controller === controller) this.controller = undefined;
    }
    if (!this.closed) this.scheduleRetry(failure);
  }

  private scheduleRetry(reason: string): void {
    this.attempt++;
    const delay = Math.min(this.timing.maxDelayMs, this.timing.firstDelayMs * 2 ** (this.attempt - 1));
    this.handlers.onState({ kind: 'retrying', attempt: this.attempt, retryAt: Date.now() + delay, reason });
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
