/**
 * A deliberately raw Mesos v1 scheduler client for wire tests: node:http requests, a RecordIO
 * decoder of its own that works on bytes (so it checks the master's framing rather than trusting
 * a shared decoder), and helpers to wait for events.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:http';
import type {
  CallAccept,
  EventEnvelope,
  FrameworkInfo,
  Offer,
  Resource,
  TaskInfo,
} from '../../../pkg/mesos/types.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Fields = Record<string, unknown>;

export function rawPost(
  baseUrl: string,
  path: string,
  body: string,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
  method = 'POST',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Decode RecordIO from raw chunks: digits up to '\n', then exactly N bytes. */
export class ByteRecordDecoder {
  private buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const records: Buffer[] = [];
    for (;;) {
      const newline = this.buffer.indexOf(0x0a);
      if (newline < 0) break;
      const header = this.buffer.subarray(0, newline).toString('ascii');
      if (!/^\d+$/.test(header)) throw new Error(`bad RecordIO length prefix '${header}'`);
      const length = Number(header);
      if (this.buffer.length < newline + 1 + length) break;
      records.push(this.buffer.subarray(newline + 1, newline + 1 + length));
      this.buffer = this.buffer.subarray(newline + 1 + length);
    }
    return records;
  }
}

export interface Subscription {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly streamId: string;
  readonly frameworkId: string;
  /** Every event received so far, in order. */
  readonly events: EventEnvelope[];
  /** Raw chunks as they arrived. */
  readonly chunks: Buffer[];
  /** Raw record bodies (bytes), to check framing. */
  readonly records: Buffer[];
  readonly ended: Promise<void>;
  /** Wait until an event (received from index `from` on) satisfies `predicate`. */
  waitFor(
    predicate: (e: EventEnvelope) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<EventEnvelope>;
  /** POST a call with this stream's id and framework id. */
  call(type: string, fields?: Fields): Promise<RawResponse>;
  close(): void;
}

export async function subscribe(
  baseUrl: string,
  frameworkInfo: FrameworkInfo,
  opts: { headers?: Record<string, string>; frameworkId?: string; suppressedRoles?: string[] } = {},
): Promise<Subscription> {
  const info =
    opts.frameworkId === undefined ? frameworkInfo : { ...frameworkInfo, id: { value: opts.frameworkId } };
  const subscribeBody: Fields = { framework_info: info };
  if (opts.suppressedRoles !== undefined) subscribeBody['suppressed_roles'] = opts.suppressedRoles;
  const body: Fields = { type: 'SUBSCRIBE', subscribe: subscribeBody };
  if (opts.frameworkId !== undefined) body['framework_id'] = { value: opts.frameworkId };
  const events: EventEnvelope[] = [];
  const chunks: Buffer[] = [];
  const records: Buffer[] = [];
  const waiters: {
    from: number;
    predicate: (e: EventEnvelope) => boolean;
    resolve: (e: EventEnvelope) => void;
  }[] = [];
  const decoder = new ByteRecordDecoder();
  let endResolve: () => void = () => {};
  const ended = new Promise<void>((r) => {
    endResolve = r;
  });
  const check = (): void => {
    for (const w of [...waiters]) {
      const hit = events.slice(w.from).find(w.predicate);
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/api/v1/scheduler`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...opts.headers },
      },
      (res) => {
        const streamId = String(res.headers['mesos-stream-id'] ?? '');
        let frameworkId = opts.frameworkId ?? '';
        let resolved = false;
        const sub: Subscription = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          streamId,
          get frameworkId() {
            return frameworkId;
          },
          events,
          chunks,
          records,
          ended,
          waitFor(predicate, timeoutMs = 5000, from = 0) {
            const hit = events.slice(from).find(predicate);
            if (hit !== undefined) return Promise.resolve(hit);
            return new Promise((res2, rej2) => {
              const timer = setTimeout(
                () =>
                  rej2(new Error(`timed out waiting for event; got ${events.map((e) => e.type).join(',')}`)),
                timeoutMs,
              );
              waiters.push({
                from,
                predicate,
                resolve: (e) => {
                  clearTimeout(timer);
                  res2(e);
                },
              });
            });
          },
          call(type, fields = {}) {
            return rawPost(
              baseUrl,
              '/api/v1/scheduler',
              JSON.stringify({ framework_id: { value: frameworkId }, type, ...fields }),
              {
                'Content-Type': 'application/json',
                'Mesos-Stream-Id': streamId,
              },
            );
          },
          close() {
            req.destroy();
          },
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          for (const record of decoder.push(chunk)) {
            records.push(record);
            const event = JSON.parse(record.toString('utf8')) as EventEnvelope;
            if (event.subscribed !== undefined) frameworkId = event.subscribed.framework_id.value;
            events.push(event);
          }
          check();
          if (!resolved && (events.length > 0 || res.statusCode !== 200)) {
            resolved = true;
            resolve(sub);
          }
        });
        res.on('end', () => {
          endResolve();
          if (!resolved) {
            resolved = true;
            resolve(sub);
          }
        });
        res.on('error', () => endResolve());
        res.on('close', () => endResolve());
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export const FRAMEWORK: FrameworkInfo = { user: 'root', name: 'wire-test', failover_timeout: 60 };

type Capability = NonNullable<FrameworkInfo['capabilities']>[number]['type'];

export function withCapabilities(...types: Capability[]): FrameworkInfo {
  return { ...FRAMEWORK, capabilities: types.map((type) => ({ type })) };
}

export function scalar(name: string, value: number): Resource {
  return { name, type: 'SCALAR', scalar: { value } };
}

export function taskInfo(offer: Offer, id: string, extra: Partial<TaskInfo> = {}): TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: offer.agent_id,
    resources: [scalar('cpus', 0.5), scalar('mem', 64)],
    command: { shell: true, value: 'sleep 1000' },
    ...extra,
  };
}

export function launchCall(
  offers: readonly Offer[],
  tasks: TaskInfo[],
  refuseSeconds?: number,
): { accept: CallAccept } {
  const accept: CallAccept = {
    offer_ids: offers.map((o) => o.id),
    operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }],
  };
  if (refuseSeconds !== undefined) accept.filters = { refuse_seconds: refuseSeconds };
  return { accept };
}

export const isType = (type: string) => (e: EventEnvelope) => e.type === type;

export const isUpdate = (taskId: string, state: string) => (e: EventEnvelope) =>
  e.update?.status.task_id.value === taskId && e.update.status.state === state;

/** Updates for one task, in arrival order. */
export function updatesFor(sub: Subscription, taskId: string) {
  return sub.events.filter((e) => e.update?.status.task_id.value === taskId).map((e) => e.update!.status);
}

/** Wait for the next OFFERS event after index `from` and return its offers. */
export async function nextOffers(sub: Subscription, from = 0, timeoutMs = 5000): Promise<Offer[]> {
  const event = await sub.waitFor(isType('OFFERS'), timeoutMs, from);
  return event.offers!.offers;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const offersTaken = new WeakMap<Subscription, number>();

/**
 * The offers of the first OFFERS event this test has not taken yet (waiting for one if needed).
 * Avoids the race of waiting for "the next" OFFERS when it may already have arrived.
 */
export async function takeOffers(sub: Subscription, timeoutMs = 5000): Promise<Offer[]> {
  const from = offersTaken.get(sub) ?? 0;
  const event = await sub.waitFor(isType('OFFERS'), timeoutMs, from);
  offersTaken.set(sub, sub.events.indexOf(event, from) + 1);
  return event.offers!.offers;
}
