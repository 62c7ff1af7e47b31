import { describe, expect, it } from 'vitest';
import { MesosStreamError } from './errors.js';
import { EventStreamDecoder, parseEventRecord } from './event-decoder.js';
import { encodeRecords } from './recordio.js';

const parse = (json: string) => parseEventRecord(Buffer.from(json));

describe('parseEventRecord', () => {
  it('reads the wire shape of OFFERS (wrapped) and fills in an omitted empty list', () => {
    expect(parse('{"type":"OFFERS","offers":{}}')).toEqual({
      kind: 'event',
      event: { type: 'OFFERS', offers: { offers: [] } },
    });
    expect(parse('{"type":"INVERSE_OFFERS"}')).toEqual({
      kind: 'event',
      event: { type: 'INVERSE_OFFERS', inverse_offers: { inverse_offers: [] } },
    });
  });

  it('reads ERROR with its message nested as on the wire', () => {
    expect(parse('{"type":"ERROR","error":{"message":"Framework has been removed"}}')).toEqual({
      kind: 'event',
      event: { type: 'ERROR', error: { message: 'Framework has been removed' } },
    });
  });

  it('rejects a known event without its body, naming the field', () => {
    expect(() => parse('{"type":"RESCIND"}')).toThrow(/RESCIND event without its "rescind" body/);
    expect(() => parse('{"type":"SUBSCRIBED","subscribed":{}}')).toThrow(
      /subscribed.framework_id is missing/,
    );
  });

  it('rejects records that are not events', () => {
    expect(() => parse('[1,2]')).toThrow(MesosStreamError);
    expect(() => parse('{"no":"type"}')).toThrow(/event has no type/);
  });

  it('decodes non-ASCII payloads across chunk boundaries', () => {
    const decoder = new EventStreamDecoder();
    const bytes = encodeRecords([
      '{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_FAILED","message":"échec ✗"}}}',
    ]);
    const middle = bytes.indexOf(Buffer.from('✗')) + 1;
    expect(decoder.decode(bytes.subarray(0, middle))).toEqual([]);
    const [decoded] = decoder.decode(bytes.subarray(middle));
    expect(
      decoded?.kind === 'event' && decoded.event.type === 'UPDATE' && decoded.event.update.status.message,
    ).toBe('échec ✗');
  });
});
