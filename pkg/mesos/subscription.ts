/**
 * One SUBSCRIBE connection, from POST to close: follows the redirect to the leader, keeps the
 * Mesos-Stream-Id, decodes the event stream and watches heartbeats. It reports what happens
 * through callbacks and closes exactly once; reconnecting is the client's job, not this one's.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Logger } from '../log/index.js';
import type { Clock } from '../runtime/clock.js';
import { MesosConnectionError, MesosHttpError, MesosStreamError } from './errors.js';
import { type DecodedEvent, EventStreamDecoder } from './event-decoder.js';
import { HeartbeatMonitor } from './heartbeat-monitor.js';
import { postFollowingRedirects, readText } from './http-transport.js';
import type { EventSubscribed, SubscribeCall } from './types.js';

export interface SubscriptionOptions {
  readonly url: URL;
  readonly call: SubscribeCall;
  readonly clock: Clock;
  readonly headers: Readonly<Record<string, string>>;
  /** Heartbeat intervals that may pass silently before the stream counts as dead. */
  readonly missedHeartbeats: number;
  /** How long to wait for the answer and the SUBSCRIBED event. */
  readonly subscribeTimeoutMs: number;
  readonly log: Logger;
}

export interface SubscriptionCallbacks {
  /** SUBSCRIBED arrived: the stream is live. Called before onEvent for that event. */
  onSubscribed(streamId: string, leaderUrl: URL, subscribed: EventSubscribed): void;
  onEvent(decoded: DecodedEvent): void;
  /** The connection is over, with why. Called exactly once. */
  onClosed(reason: Error, wasSubscribed: boolean): void;
}

export class Subscription {
  private closed = false;
  private subscribed = false;
  private request: ClientRequest | undefined;
  private response: IncomingMessage | undefined;
  private readonly monitor: HeartbeatMonitor;
  private readonly decoder = new EventStreamDecoder();
  /** Cancels a SUBSCRIBE still waiting for its answer when the subscription is closed. */
  private readonly abort = new AbortController();
  private _streamId: string | undefined;
  private _leaderUrl: URL | undefined;

  constructor(
    private readonly options: SubscriptionOptions,
    private readonly callbacks: SubscriptionCallbacks,
  ) {
    this.monitor = new HeartbeatMonitor(options.clock, (silentMs) => {
      const what = this.subscribed ? 'no event (not even a HEARTBEAT)' : 'no SUBSCRIBED event';
      this.close(
        new MesosConnectionError(`${what} for ${silentMs} ms; treating the connection as dead`, this.where),
      );
    });
  }

  get streamId(): string | undefined {
    return this._streamId;
  }

  private get where(): string {
    return (this._leaderUrl ?? this.options.url).href;
  }

  /** Connect; everything after is reported through the callbacks. */
  start(): void {
    this.monitor.arm(this.options.subscribeTimeoutMs);
    postFollowingRedirects(this.options.url, JSON.stringify(this.options.call), {
      headers: this.options.headers,
      timeoutMs: this.options.subscribeTimeoutMs,
      agent: false,
      signal: this.abort.signal,
    }).then(
      (open) => {
        this.request = open.request;
        this.response = open.response;
        this._leaderUrl = open.url;
        if (this.closed) {
          open.request.destroy();
          return;
        }
        this.onAnswer(open.response, open.url);
      },
      (err: unknown) => this.close(err instanceof Error ? err : new Error(String(err))),
    );
  }

  /** End the connection (idempotent). */
  close(reason: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.monitor.stop();
    this.response?.removeAllListeners('data');
    this.abort.abort();
    this.request?.destroy();
    this.callbacks.onClosed(reason, this.subscribed);
  }

  private onAnswer(response: IncomingMessage, url: URL): void {
    const status = response.statusCode ?? 0;
    if (status !== 200) {
      readText(response).then(
        (text) => this.close(new MesosHttpError('SUBSCRIBE', url.href, status, text)),
        () => this.close(new MesosHttpError('SUBSCRIBE', url.href, status, '')),
      );
      return;
    }
    const streamId = response.headers['mesos-stream-id'];
    if (typeof streamId !== 'string' || streamId === '') {
      this.close(new MesosStreamError(`SUBSCRIBE answer from ${url.href} has no Mesos-Stream-Id header`));
      return;
    }
    this._streamId = streamId;
    this.options.log.debug({ url: url.href, streamId }, 'event stream open');
    response.on('data', (chunk: Buffer) => this.onChunk(chunk, streamId, url));
    response.once('end', () => {
      try {
        this.decoder.end();
        this.close(new MesosConnectionError(`Mesos master at ${url.href} closed the event stream`, url.href));
      } catch (err) {
        this.close(err as Error);
      }
    });
    response.on('error', (err) => {
      this.close(
        new MesosConnectionError(`event stream from ${url.href} broke: ${err.message}`, url.href, err),
      );
    });
    response.once('aborted', () => {
      this.close(new MesosConnectionError(`event stream from ${url.href} was cut`, url.href));
    });
  }

  private onChunk(chunk: Buffer, streamId: string, url: URL): void {
    if (this.closed) return;
    this.monitor.beat();
    let events: DecodedEvent[];
    try {
      events = this.decoder.decode(chunk);
    } catch (err) {
      this.close(err as Error);
      return;
    }
    for (const decoded of events) {
      if (this.closed) return;
      if (decoded.kind === 'event' && decoded.event.type === 'SUBSCRIBED') {
        this.subscribed = true;
        const intervalSeconds = decoded.event.subscribed.heartbeat_interval_seconds ?? 15;
        this.monitor.arm(intervalSeconds * 1000 * this.options.missedHeartbeats);
        this.callbacks.onSubscribed(streamId, url, decoded.event.subscribed);
      } else if (!this.subscribed && !(decoded.kind === 'event' && decoded.event.type === 'ERROR')) {
        // ERROR may come first: a master refusing a framework it removed answers 200, sends
        // ERROR "Framework has been removed" and closes, without SUBSCRIBED.
        this.close(
          new MesosStreamError(`first event on the stream was ${this.typeOf(decoded)}, not SUBSCRIBED`),
        );
        return;
      }
      this.callbacks.onEvent(decoded);
    }
  }

  private typeOf(decoded: DecodedEvent): string {
    return decoded.kind === 'event' ? decoded.event.type : decoded.type;
  }
}
