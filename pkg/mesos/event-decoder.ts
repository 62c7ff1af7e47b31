/**
 * Turns the SUBSCRIBE response body (RecordIO-framed JSON) into typed scheduler events.
 *
 * Anything that is not a well-formed event is a MesosStreamError: once a record is not JSON, or
 * a known event lacks the body its type names, the stream cannot be trusted and the client
 * re-subscribes. Event types this client does not know (a newer master) are passed through
 * untyped rather than treated as garbage.
 */
import { MesosStreamError } from './errors.js';
import { RecordIODecoder, type RecordIODecoderOptions } from './recordio.js';
import type { Event, EventType } from './types.js';

export type DecodedEvent =
  | { readonly kind: 'event'; readonly event: Event }
  | { readonly kind: 'unknown'; readonly type: string; readonly raw: Record<string, unknown> };

/** The body field each known event type must carry (HEARTBEAT carries none). */
const BODY_FIELD: Readonly<Record<Exclude<EventType, 'UNKNOWN'>, string | undefined>> = {
  SUBSCRIBED: 'subscribed',
  OFFERS: 'offers',
  INVERSE_OFFERS: 'inverse_offers',
  RESCIND: 'rescind',
  RESCIND_INVERSE_OFFER: 'rescind_inverse_offer',
  UPDATE: 'update',
  UPDATE_OPERATION_STATUS: 'update_operation_status',
  MESSAGE: 'message',
  FAILURE: 'failure',
  ERROR: 'error',
  HEARTBEAT: undefined,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(record: Buffer): string {
  const text = record.subarray(0, 120).toString('utf8');
  return record.length > 120 ? `${text}...` : text;
}

function hasIdValue(value: unknown): boolean {
  return isObject(value) && typeof value['value'] === 'string';
}

/** Checks the fields a handler relies on; returns what is wrong, or undefined. */
function problemWith(type: string, body: Record<string, unknown>): string | undefined {
  switch (type) {
    case 'SUBSCRIBED':
      return hasIdValue(body['framework_id']) ? undefined : 'subscribed.framework_id is missing';
    case 'UPDATE': {
      const status = body['status'];
      if (!isObject(status)) return 'update.status is missing';
      if (!hasIdValue(status['task_id'])) return 'update.status.task_id is missing';
      return typeof status['state'] === 'string' ? undefined : 'update.status.state is missing';
    }
    case 'RESCIND':
      return hasIdValue(body['offer_id']) ? undefined : 'rescind.offer_id is missing';
    case 'RESCIND_INVERSE_OFFER':
      return hasIdValue(body['inverse_offer_id'])
        ? undefined
        : 'rescind_inverse_offer.inverse_offer_id is missing';
    default:
      return undefined;
  }
}

/** Decode one RecordIO record into an event. Throws MesosStreamError. */
export function parseEventRecord(record: Buffer): DecodedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.toString('utf8'));
  } catch (err) {
    throw new MesosStreamError(`event is not JSON: ${preview(record)}`, err);
  }
  if (!isObject(parsed) || typeof parsed['type'] !== 'string') {
    throw new MesosStreamError(`event has no type: ${preview(record)}`);
  }
  const type = parsed['type'];
  if (!Object.hasOwn(BODY_FIELD, type)) return { kind: 'unknown', type, raw: parsed };
  const field = BODY_FIELD[type as keyof typeof BODY_FIELD];
  if (field === undefined) return { kind: 'event', event: { type: 'HEARTBEAT' } };
  // JSON omits empty repeated fields, so `{"type":"OFFERS","offers":{}}` is a valid empty batch.
  const body = parsed[field] ?? (type === 'OFFERS' || type === 'INVERSE_OFFERS' ? {} : undefined);
  if (!isObject(body))
    throw new MesosStreamError(`${type} event without its "${field}" body: ${preview(record)}`);
  const problem = problemWith(type, body);
  if (problem) throw new MesosStreamError(`malformed ${type} event (${problem}): ${preview(record)}`);
  if (type === 'OFFERS' && !Array.isArray(body['offers'])) body['offers'] = [];
  if (type === 'INVERSE_OFFERS' && !Array.isArray(body['inverse_offers'])) body['inverse_offers'] = [];
  if (type === 'ERROR' && typeof body['message'] !== 'string') body['message'] = '';
  // The checks above cover every field the typed handlers dereference; the rest is as Mesos sent it.
  return { kind: 'event', event: { ...parsed, type, [field]: body } as unknown as Event };
}

/** Stateful decoder for one subscription's response body. */
export class EventStreamDecoder {
  private readonly recordio: RecordIODecoder;

  constructor(options: RecordIODecoderOptions = {}) {
    this.recordio = new RecordIODecoder(options);
  }

  /** Feed a chunk of the body; returns the events it completes. Throws MesosStreamError. */
  decode(chunk: Buffer): DecodedEvent[] {
    return this.recordio.decode(chunk).map(parseEventRecord);
  }

  /** The body ended; throws if it ended mid-record. */
  end(): void {
    this.recordio.end();
  }
}
