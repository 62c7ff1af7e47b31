/**
 * One scheduler's SUBSCRIBE connection: a chunked HTTP response carrying RecordIO-framed JSON
 * events, with heartbeats on the injected clock. Records are written as whole buffers so a
 * record's length always counts UTF-8 bytes.
 */
import type { ServerResponse } from 'node:http';
import { encodeRecord } from '../mesos/recordio.js';
import type { Event } from '../mesos/types.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';

/** `<byte length>\n<bytes>` for one event (the shared encoder counts UTF-8 bytes). */
function encodeEvent(event: Event): Buffer {
  return encodeRecord(JSON.stringify(event));
}

export class EventStream {
  private heartbeat: TimerHandle | undefined;
  private closed = false;
  private corked = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    readonly streamId: string,
    private readonly res: ServerResponse,
    private readonly clock: Clock,
    private readonly heartbeatIntervalMs: number,
  ) {
    // The client going away (or the socket dying) ends the subscription.
    res.on('close', () => this.markClosed());
    // A write racing the client's disconnect must end the stream, not crash the master.
    res.on('error', () => this.markClosed());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** Send events; several events go out in one write, hence usually in one HTTP chunk. */
  send(...events: Event[]): void {
    if (this.closed || events.length === 0) return;
    // Events sent in the same tick leave in one write (one syscall, usually one chunk): under
    // load that is the difference between thousands of writev calls and a few.
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      process.nextTick(() => {
        this.corked = false;
        this.res.uncork();
      });
    }
    this.res.write(events.length === 1 ? encodeEvent(events[0]!) : Buffer.concat(events.map(encodeEvent)));
  }

  /** Heartbeats every interval from now on (the first one goes out with SUBSCRIBED). */
  startHeartbeats(): void {
    const tick = (): void => {
      if (this.closed) return;
      this.send({ type: 'HEARTBEAT' });
      this.heartbeat = this.clock.setTimeout(tick, this.heartbeatIntervalMs);
    };
    this.heartbeat = this.clock.setTimeout(tick, this.heartbeatIntervalMs);
  }

  /** End the stream from the master's side (failover, removal, teardown, master restart). */
  close(): void {
    if (this.closed) return;
    this.res.end();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.heartbeat?.cancel();
    for (const listener of this.closeListeners) listener();
  }
}
