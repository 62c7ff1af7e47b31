import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRecord, encodeRecords, RecordIODecoder, RecordIOError } from './recordio.js';

const text = (records: Buffer[]): string[] => records.map((r) => r.toString('utf8'));

/** Feed `bytes` to a fresh decoder in the given chunks and collect every record. */
function decodeInChunks(bytes: Buffer, cuts: readonly number[]): string[] {
  const decoder = new RecordIODecoder();
  const out: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...decoder.decode(bytes.subarray(start, cut)));
    start = cut;
  }
  decoder.end();
  return text(out);
}

describe('RecordIO encoder', () => {
  it('writes the byte length in decimal, a newline, then the record', () => {
    expect(encodeRecord('{"type":"HEARTBEAT"}').toString()).toBe('20\n{"type":"HEARTBEAT"}');
  });

  it('counts UTF-8 bytes, not characters', () => {
    // "é" is 2 bytes, "🚀" is 4 bytes (2 UTF-16 units): 1 + 2 + 4 = 7 bytes.
    expect(encodeRecord('aé🚀').toString('utf8')).toBe('7\naé🚀');
  });

  it('frames several records back to back with no separator', () => {
    expect(encodeRecords(['{}', 'abc']).toString()).toBe('2\n{}3\nabc');
  });
});

describe('RecordIO decoder', () => {
  it('decodes several records that arrive in one chunk (SUBSCRIBED and HEARTBEAT together)', () => {
    const decoder = new RecordIODecoder();
    const chunk = encodeRecords(['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}']);
    expect(text(decoder.decode(chunk))).toEqual(['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}']);
  });

  it('holds a record split inside its length prefix until the rest arrives', () => {
    const bytes = Buffer.from('12\nhello world!');
    const decoder = new RecordIODecoder();
    expect(decoder.decode(bytes.subarray(0, 1))).toEqual([]);
    expect(decoder.decode(bytes.subarray(1, 5))).toEqual([]);
    expect(text(decoder.decode(bytes.subarray(5)))).toEqual(['hello world!']);
  });

  it('handles a chunk that ends right after the newline', () => {
    expect(decodeInChunks(Buffer.from('3\nabc4\ndefg'), [2, 7])).toEqual(['abc', 'defg']);
  });

  it('never splits a multi-byte UTF-8 character, wherever the chunk boundary falls', () => {
    const record = '{"message":"Grüße 🚀 ✓"}';
    const bytes = encodeRecord(record);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(decodeInChunks(bytes, [cut])).toEqual([record]);
    }
  });

  it('decodes a stream fed one byte at a time', () => {
    const records = ['{"a":1}', '', 'ü', '{"type":"HEARTBEAT"}'];
    const bytes = encodeRecords(records);
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(decodeInChunks(bytes, cuts)).toEqual(records);
  });

  it('accepts an empty chunk without changing anything', () => {
    const decoder = new RecordIODecoder();
    expect(decoder.decode(Buffer.alloc(0))).toEqual([]);
    expect(decoder.atRecordBoundary).toBe(true);
  });

  it('rejects garbage in the length prefix with a clear error naming the byte and offset', () => {
    const decoder = new RecordIODecoder();
    decoder.decode(Buffer.from('2\n{}'));
    let caught: unknown;
    try {
      decoder.decode(Buffer.from('<html>'));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RecordIOError);
    expect((caught as RecordIOError).message).toMatch(/expected a digit or newline.*0x3c '<'.*stream byte 4/);
    expect((caught as RecordIOError).streamOffset).toBe(4);
    expect((caught as RecordIOError).code).toBe('ServiceUnavailable');
  });

  it('stays failed after garbage: framing is lost, so later chunks are refused too', () => {
    const decoder = new RecordIODecoder();
    expect(() => decoder.decode(Buffer.from('x'))).toThrow(RecordIOError);
    expect(() => decoder.decode(Buffer.from('2\n{}'))).toThrow(RecordIOError);
  });

  it('rejects an empty length prefix', () => {
    expect(() => new RecordIODecoder().decode(Buffer.from('\n{}'))).toThrow(/empty length prefix/);
  });

  it('rejects a length prefix with more digits than any real record needs', () => {
    expect(() => new RecordIODecoder().decode(Buffer.from('12345678901234567'))).toThrow(
      /longer than 16 digits/,
    );
  });

  it('rejects a record longer than the configured limit before buffering it', () => {
    const decoder = new RecordIODecoder({ maxRecordBytes: 10 });
    expect(() => decoder.decode(Buffer.from('11\n'))).toThrow(/record length 11 exceeds the limit of 10/);
  });

  it('reports a stream that ends inside a record', () => {
    const decoder = new RecordIODecoder();
    decoder.decode(Buffer.from('10\nabc'));
    expect(() => decoder.end()).toThrow(/7 bytes short of a record/);
  });

  it('reports a stream that ends inside a length prefix', () => {
    const decoder = new RecordIODecoder();
    decoder.decode(Buffer.from('1'));
    expect(() => decoder.end()).toThrow(/inside a length prefix/);
  });

  it('property: any chunking of any sequence of records decodes to the same records', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (records, rawCuts) => {
          const bytes = encodeRecords(records);
          const cuts = [...new Set(rawCuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort(
            (a, b) => a - b,
          );
          expect(decodeInChunks(bytes, cuts)).toEqual(records);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: arbitrary binary records survive any chunking byte for byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (records, rawCuts) => {
          const bytes = encodeRecords(records);
          const cuts = [...new Set(rawCuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort(
            (a, b) => a - b,
          );
          const decoder = new RecordIODecoder();
          const out: Buffer[] = [];
          let start = 0;
          for (const cut of [...cuts, bytes.length]) {
            out.push(...decoder.decode(bytes.subarray(start, cut)));
            start = cut;
          }
          expect(out.map((b) => [...b])).toEqual(records.map((r) => [...r]));
        },
      ),
      { numRuns: 200 },
    );
  });
});
