/**
 * A scripted fake Mesos master for the client's integration tests: a real HTTP server on
 * 127.0.0.1 that speaks the v1 scheduler and operator wire protocol (JSON, RecordIO stream,
 * Mesos-Stream-Id, 307 to the leader) and does only what the test tells it to. It records every
 * request so tests can assert on what the client actually sent.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeRecord, encodeRecords } from '../../../pkg/mesos/recordio.js';
import type { CallEnvelope, Event } from '../../../pkg/mesos/types.js';

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body. */
  readonly body: CallEnvelope & Record<string, unknown>;
}

/** What the master does with the next SUBSCRIBE. */
export type SubscribeScript =
  | { readonly kind: 'stream'; readonly heartbeatSeconds?: number; readonly heartbeats?: boolean }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'status'; readonly status: number; readonly text: string }
  /** Answer 200, send only an ERROR event and close, as Mesos does for a removed framework. */
  | { readonly kind: 'error-event'; readonly message: string }
  /** Never answer (a master wedged mid-request); `hungRequests` tells when the client gives up. */
  | { readonly kind: 'hang' };

/** What the master answers to the next call (scheduler or operator). */
export type CallScript =
  | { readonly kind: 'status'; readonly status: number; readonly text?: string; readonly json?: unknown }
  | { readonly kind: 'redirect'; readonly location: string };

/** One open event stream, under the test's control. */
export class FakeStream {
  private heartbeatTimer: NodeJS.Timeout | undefined;
  closed = false;

  constructor(
    readonly streamId: string,
    readonly frameworkId: string,
    private readonly res: ServerResponse,
  ) {
    res.once('close', () => {
      this.closed = true;
      this.stopHeartbeats();
    });
  }

  /** Send events, framed as Mesos does, all in one chunk. */
  send(...events: Event[]): void {
    if (!this.closed) this.res.write(encodeRecords(events.map((e) => JSON.stringify(e))));
  }

  /** Send raw bytes (garbage, partial records). */
  sendRaw(bytes: Buffer | string): void {
    if (!this.closed) this.res.write(bytes);
  }

  startHeartbeats(intervalMs: number): void {
    this.stopHeartbeats();
    this.heartbeatTimer = setInterval(() => this.send({ type: 'HEARTBEAT' }), intervalMs);
  }

  /** Stop heartbeats but keep the connection open: a silently dead stream, as seen by the client. */
  stopHeartbeats(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** End the stream cleanly (as a master does when it fails over). */
  end(): void {
    this.stopHeartbeats();
    this.res.end();
  }
}

export class FakeMaster extends EventEmitter {
  readonly masterId = `fake-${randomUUID().slice(0, 8)}`;
  readonly subscribes: RecordedRequest[] = [];
  readonly calls: RecordedRequest[] = [];
  readonly operatorCalls: RecordedRequest[] = [];
  readonly streams: FakeStream[] = [];
  /** SUBSCRIBEs left unanswered by a 'hang' script; `closed` turns true when the client hangs up. */
  readonly hungRequests: { closed: boolean }[] = [];
  /** Scripts for the next SUBSCRIBEs, used in order; when empty, a normal stream is opened. */
  readonly subscribeScripts: SubscribeScript[] = [];
  /** Scripts for the next scheduler calls; when empty, calls answer 202 (UPDATE_FRAMEWORK 200). */
  readonly callScripts: CallScript[] = [];
  /** Scripts for the next operator calls; when empty, they answer 200 with an empty body. */
  readonly operatorScripts: CallScript[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private frameworkSeq = 0;

  static async start(): Promise<FakeMaster> {
    const master = new FakeMaster();
    await new Promise<void>((resolve) => master.server.listen(0, '127.0.0.1', resolve));
    return master;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What a Mesos master puts in Location when it is not the leader. */
  get protocolRelativeSchedulerUrl(): string {
    return `//127.0.0.1:${this.port}/api/v1/scheduler`;
  }

  /** Resolves with the n-th SUBSCRIBE (1-based) once it has arrived. */
  nthSubscribe(n: number): Promise<RecordedRequest> {
    return this.waitFor(this.subscribes, 'subscribe', n);
  }

  /** Resolves with the n-th scheduler call (1-based) once it has arrived. */
  nthCall(n: number): Promise<RecordedRequest> {
    return this.waitFor(this.calls, 'call', n);
  }

  /** Resolves with the n-th stream (1-based) once it is open. */
  nthStream(n: number): Promise<FakeStream> {
    return this.waitFor(this.streams, 'stream', n);
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.stopHeartbeats();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private waitFor<T>(list: T[], eventName: string, n: number): Promise<T> {
    return new Promise((resolve) => {
      const check = (): void => {
        const item = list[n - 1];
        if (item === undefined) return;
        this.off(eventName, check);
        resolve(item);
      };
      this.on(eventName, check);
      check();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: RecordedRequest['body'];
    try {
      body = JSON.parse(text) as RecordedRequest['body'];
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Failed to parse body into JSON');
      return;
    }
    const recorded: RecordedRequest = { path: req.url ?? '', headers: req.headers, body };
    if (req.url === '/api/v1') {
      this.operatorCalls.push(recorded);
      this.emit('operatorCall');
      this.answer(res, this.operatorScripts.shift() ?? { kind: 'status', status: 200 });
    } else if (body.type === 'SUBSCRIBE') {
      this.subscribes.push(recorded);
      this.emit('subscribe');
      this.subscribe(res, body, this.subscribeScripts.shift() ?? { kind: 'stream' });
    } else {
      this.calls.push(recorded);
      this.emit('call');
      const fallback = { kind: 'status', status: body.type === 'UPDATE_FRAMEWORK' ? 200 : 202 } as const;
      this.answer(res, this.callScripts.shift() ?? fallback);
    }
  }

  private answer(res: ServerResponse, script: CallScript): void {
    if (script.kind === 'redirect') {
      res.writeHead(307, { Location: script.location }).end();
    } else if (script.json !== undefined) {
      res.writeHead(script.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(script.json));
    } else {
      res.writeHead(script.status, { 'Content-Type': 'text/plain' }).end(script.text ?? '');
    }
  }

  private subscribe(res: ServerResponse, body: CallEnvelope, script: SubscribeScript): void {
    if (script.kind === 'redirect') {
      res.writeHead(307, { Location: script.location }).end();
      return;
    }
    if (script.kind === 'status') {
      res.writeHead(script.status, { 'Content-Type': 'text/plain' }).end(script.text);
      return;
    }
    if (script.kind === 'error-event') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': randomUUID() });
      res.end(encodeRecord(JSON.stringify({ type: 'ERROR', error: { message: script.message } })));
      return;
    }
    if (script.kind === 'hang') {
      const hung = { closed: false };
      this.hungRequests.push(hung);
      res.once('close', () => {
        hung.closed = true;
      });
      return;
    }
    const frameworkId =
      body.framework_id?.value ?? `${this.masterId}-${String(this.frameworkSeq++).padStart(4, '0')}`;
    const streamId = randomUUID();
    res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': streamId });
    res.flushHeaders();
    const stream = new FakeStream(streamId, frameworkId, res);
    const heartbeatSeconds = script.heartbeatSeconds ?? 15;
    // Like Mesos: SUBSCRIBED and the first HEARTBEAT back to back, in one chunk.
    res.write(
      Buffer.concat([
        encodeRecord(
          JSON.stringify({
            type: 'SUBSCRIBED',
            subscribed: {
              framework_id: { value: frameworkId },
              heartbeat_interval_seconds: heartbeatSeconds,
              master_info: { id: this.masterId, ip: 16777343, port: this.port, hostname: '127.0.0.1' },
            },
          }),
        ),
        encodeRecord(JSON.stringify({ type: 'HEARTBEAT' })),
      ]),
    );
    if (script.heartbeats !== false) stream.startHeartbeats(heartbeatSeconds * 1000);
    this.streams.push(stream);
    this.emit('stream');
  }
}
