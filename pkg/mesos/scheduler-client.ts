/**
 * MesosSchedulerClient: a Mesos v1 scheduler HTTP API client any framework can use.
 *
 * It keeps one subscription alive (re-subscribing with the same framework id, with capped
 * exponential backoff and jitter, after any disconnect, including a silent one found by missed
 * heartbeats), emits typed events (`on('offers')`, `on('update')`, `connected`, ...) and sends
 * calls to the leader with the current Mesos-Stream-Id. Calls fail fast while disconnected:
 * callers are level-triggered and retry on their next pass.
 */
import { EventEmitter, on } from 'node:events';
import http from 'node:http';
import { componentLogger, type Logger } from '../log/index.js';
import { type Clock, systemClock, type TimerHandle } from '../runtime/clock.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { endpointUrl, SCHEDULER_API_PATH } from './endpoints.js';
import { MesosCallRejected, MesosConnectionError, MesosHttpError, MesosMasterError } from './errors.js';
import type { DecodedEvent } from './event-decoder.js';
import { postForAnswer } from './http-transport.js';
import { SchedulerCalls } from './scheduler-calls-api.js';
import type { SchedulerClientEvents } from './scheduler-client-events.js';
import { emitTyped } from './scheduler-event-dispatch.js';
import { Subscription } from './subscription.js';
import type { Call, Event, EventSubscribed, FrameworkInfo, SubscribeCall } from './types.js';

export interface SchedulerClientOptions {
  /** Master address(es): "host:5050", "http://host:5050" or a full endpoint URL. Tried in turn. */
  readonly masters: string | readonly string[];
  readonly frameworkInfo: FrameworkInfo;
  /** A framework id from an earlier run, to fail over to (keeps its tasks). */
  readonly frameworkId?: string;
  readonly clock?: Clock;
  readonly backoff?: BackoffOptions;
  /** Heartbeat intervals without any event before the stream counts as dead (default 5). */
  readonly missedHeartbeats?: number;
  /** Time allowed for the SUBSCRIBE answer and the SUBSCRIBED event (default 30 s). */
  readonly subscribeTimeoutMs?: number;
  /** Time allowed for a call's answer (default 30 s). */
  readonly callTimeoutMs?: number;
  /** Extra headers on every request, e.g. Authorization for a master that authenticates. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Roles to subscribe suppressed (no offers until REVIVE). */
  readonly suppressedRoles?: readonly string[];
  readonly logger?: Logger;
}

export type SchedulerClientState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'stopped';

export class MesosSchedulerClient extends EventEmitter<SchedulerClientEvents> {
  /** Typed call helpers (accept, launch, decline, kill, acknowledge, reconcile, ...). */
  readonly calls: SchedulerCalls;
  private readonly masters: readonly URL[];
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private readonly callAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private frameworkInfo: FrameworkInfo;
  private _frameworkId: string | undefined;
  private _state: SchedulerClientState = 'idle';
  private masterIndex = 0;
  private subscription: Subscription | undefined;
  private leaderUrl: URL | undefined;
  private streamId: string | undefined;
  private reconnectTimer: TimerHandle | undefined;

  constructor(private readonly options: SchedulerClientOptions) {
    super();
    const masters = typeof options.masters === 'string' ? [options.masters] : options.masters;
    if (masters.length === 0) throw new MesosCallRejected('at least one Mesos master address is required');
    this.masters = masters.map((m) => endpointUrl(m, SCHEDULER_API_PATH));
    this.clock = options.clock ?? systemClock;
    this.backoff = new Backoff(options.backoff);
    this.frameworkInfo = { ...options.frameworkInfo };
    this._frameworkId = options.frameworkId ?? options.frameworkInfo.id?.value;
    this.log = (options.logger ?? componentLogger('mesos-client')).child({
      framework: options.frameworkInfo.name,
    });
    this.calls = new SchedulerCalls(
      (call) => this.call(call),
      () => this._frameworkId,
    );
  }

  get state(): SchedulerClientState {
    return this._state;
  }

  /** The framework id (known after the first SUBSCRIBED, or given at construction). */
  get frameworkId(): string | undefined {
    return this._frameworkId;
  }

  get connected(): boolean {
    return this._state === 'connected';
  }

  /** Start subscribing. Progress is reported through `connected` / `disconnected`. */
  start(): void {
    if (this._state !== 'idle') throw new MesosCallRejected(`client already ${this._state}`);
    this.subscribe();
  }

  /** Close the stream and stop reconnecting. Tasks stay up for failover_timeout. */
  stop(): void {
    if (this._state === 'stopped') return;
    this._state = 'stopped';
    this.reconnectTimer?.cancel();
    this.reconnectTimer = undefined;
    this.subscription?.close(new MesosConnectionError('client stopped', this.leaderUrl?.href ?? ''));
    this.callAgent.destroy();
    this.safeEmit('stopped');
  }

  /**
   * Every typed event as an async iterator. Listening starts at this call (not at the first
   * `next()`), so nothing emitted in between is lost; the iteration ends when the client stops.
   */
  events(signal?: AbortSignal): AsyncIterableIterator<Event> {
    const inner = on(this as EventEmitter, 'event', { close: ['stopped'], ...(signal ? { signal } : {}) });
    return {
      async next(): Promise<IteratorResult<Event>> {
        const result = await inner.next();
        return result.done
          ? { done: true, value: undefined }
          : { done: false, value: (result.value as [Event])[0] };
      },
      async return(): Promise<IteratorResult<Event>> {
        await inner.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /**
   * Send any call except SUBSCRIBE to the leader, with the framework id and stream id filled in.
   * Resolves on 2xx (202, or 200 for UPDATE_FRAMEWORK); throws MesosHttpError otherwise.
   */
  async call(call: Call): Promise<void> {
    if (call.type === 'SUBSCRIBE') throw new MesosCallRejected('SUBSCRIBE is made by start(), not call()');
    const url = this.leaderUrl;
    const streamId = this.streamId;
    const frameworkId = this._frameworkId;
    if (!this.connected || !url || !streamId || !frameworkId) {
      throw new MesosConnectionError(
        `cannot send ${call.type}: not subscribed to a Mesos master`,
        url?.href ?? '',
      );
    }
    const body = JSON.stringify({ ...call, framework_id: { value: frameworkId } });
    const answer = await postForAnswer(url, body, {
      headers: { ...this.options.headers, 'Mesos-Stream-Id': streamId },
      timeoutMs: this.options.callTimeoutMs ?? 30_000,
      agent: url.protocol === 'http:' ? this.callAgent : undefined,
    });
    if (answer.status < 200 || answer.status > 299) {
      throw new MesosHttpError(call.type, answer.url.href, answer.status, answer.body);
    }
    if (call.type === 'UPDATE_FRAMEWORK') this.frameworkInfo = { ...call.update_framework.framework_info };
    if (call.type === 'TEARDOWN') this.stop();
  }

  private subscribeCall(): SubscribeCall {
    const frameworkInfo: FrameworkInfo = { ...this.frameworkInfo };
    const call: SubscribeCall = { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } };
    if (this._frameworkId !== undefined) {
      // Failover: Mesos requires the top-level id and framework_info.id to agree.
      frameworkInfo.id = { value: this._frameworkId };
      call.framework_id = { value: this._frameworkId };
    }
    if (this.options.suppressedRoles?.length)
      call.subscribe.suppressed_roles = [...this.options.suppressedRoles];
    return call;
  }

  private subscribe(): void {
    this._state = 'connecting';
    const url = this.masters[this.masterIndex % this.masters.length]!;
    this.log.info({ url: url.href, frameworkId: this._frameworkId }, 'subscribing');
    const subscription = new Subscription(
      {
        url,
        call: this.subscribeCall(),
        clock: this.clock,
        headers: { ...this.options.headers },
        missedHeartbeats: this.options.missedHeartbeats ?? 5,
        subscribeTimeoutMs: this.options.subscribeTimeoutMs ?? 30_000,
        log: this.log,
      },
      {
        onSubscribed: (streamId, leaderUrl, subscribed) => this.onSubscribed(streamId, leaderUrl, subscribed),
        onEvent: (decoded) => this.onEvent(decoded),
        onClosed: (reason, wasSubscribed) => this.onClosed(subscription, reason, wasSubscribed),
      },
    );
    this.subscription = subscription;
    subscription.start();
  }

  private onSubscribed(streamId: string, leaderUrl: URL, subscribed: EventSubscribed): void {
    const resubscribed = this._frameworkId !== undefined;
    this._frameworkId = subscribed.framework_id.value;
    this.streamId = streamId;
    this.leaderUrl = leaderUrl;
    this._state = 'connected';
    this.backoff.reset();
    this.log.info({ frameworkId: this._frameworkId, leader: leaderUrl.href, resubscribed }, 'subscribed');
    this.safeEmit('connected', {
      frameworkId: this._frameworkId,
      streamId,
      masterUrl: leaderUrl.href,
      resubscribed,
      heartbeatIntervalSeconds: subscribed.heartbeat_interval_seconds ?? 15,
      masterInfo: subscribed.master_info,
    });
  }

  private onEvent(decoded: DecodedEvent): void {
    if (decoded.kind === 'unknown') {
      this.log.warn({ type: decoded.type }, 'event of a type this client does not know; passing it on');
      this.safeEmit('unknownEvent', decoded.type, decoded.raw);
      return;
    }
    const event = decoded.event;
    this.safeEmit('event', event);
    if (event.type === 'ERROR') this.onMasterError(new MesosMasterError(event.error.message));
    else emitTyped(event, (name, ...args) => this.safeEmit(name, ...args));
  }

  private onMasterError(error: MesosMasterError): void {
    this.log.error({ err: error }, 'master sent ERROR; stopping (Mesos asks schedulers not to re-subscribe)');
    this.safeEmit('mesosError', error);
    this._state = 'stopped';
    this.subscription?.close(error);
    this.callAgent.destroy();
    this.safeEmit('stopped');
  }

  private onClosed(subscription: Subscription, reason: Error, wasSubscribed: boolean): void {
    if (this.subscription !== subscription) return;
    this.subscription = undefined;
    this.streamId = undefined;
    this.leaderUrl = undefined;
    if (this._state === 'stopped') {
      if (wasSubscribed)
        this.safeEmit('disconnected', { error: reason, wasSubscribed, reconnectInMs: undefined });
      return;
    }
    // A master that cannot be reached at all may be down: try the next configured one.
    if (!wasSubscribed && reason instanceof MesosConnectionError) this.masterIndex++;
    const delay = this.backoff.next();
    this._state = 'waiting';
    this.log.warn(
      { err: reason, reconnectInMs: delay, wasSubscribed },
      'event stream ended; will re-subscribe',
    );
    this.safeEmit('streamError', reason);
    this.safeEmit('disconnected', { error: reason, wasSubscribed, reconnectInMs: delay });
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this._state === 'waiting') this.subscribe();
    }, delay);
  }

  /** A listener that throws must not break the stream or the reconnect logic. */
  private safeEmit<K extends keyof SchedulerClientEvents>(name: K, ...args: SchedulerClientEvents[K]): void {
    try {
      (this.emit as (name: K, ...args: SchedulerClientEvents[K]) => boolean)(name, ...args);
    } catch (err) {
      this.log.error({ err, event: name }, 'listener threw; ignoring');
    }
  }
}
