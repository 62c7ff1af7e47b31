/**
 * RecordIO, the framing of the Mesos event stream: `<length in bytes, ASCII decimal>\n<bytes>`,
 * records back to back with no separator.
 *
 * The decoder works on Buffers and counts bytes, never characters: a chunk boundary may fall
 * anywhere (inside the length prefix, right after the newline, inside a multi-byte UTF-8
 * character), and a chunk may hold many records. A record is handed out only when all its bytes
 * are in, so UTF-8 decoding never sees half a character.
 */
import { MesosStreamError } from './errors.js';

/** Longest length prefix we accept: 2^53 has 16 digits; anything longer is garbage. */
const MAX_LENGTH_DIGITS = 16;
/** Default ceiling on one record; a huge length is far likelier garbage than a real event. */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** The stream is not valid RecordIO. */
export class RecordIOError extends MesosStreamError {
  /** Offset in the whole stream (bytes since the decoder started) where the problem was found. */
  readonly streamOffset: number;
  constructor(message: string, streamOffset: number) {
    super(`RecordIO: ${message} (at stream byte ${streamOffset})`);
    this.name = 'RecordIOError';
    this.streamOffset = streamOffset;
  }
}

function describeByte(byte: number): string {
  const printable = byte >= 0x20 && byte < 0x7f ? ` '${String.fromCharCode(byte)}'` : '';
  return `0x${byte.toString(16).padStart(2, '0')}${printable}`;
}

export interface RecordIODecoderOptions {
  /** Records longer than this are treated as garbage (default 256 MiB). */
  readonly maxRecordBytes?: number;
}

export class RecordIODecoder {
  private readonly maxRecordBytes: number;
  /** Digits of the length prefix read so far (only while reading a prefix). */
  private digits = '';
  /** Bytes still missing from the current record, or undefined while reading a prefix. */
  private remaining: number | undefined;
  private parts: Buffer[] = [];
  private consumed = 0;
  private failure: RecordIOError | undefined;

  constructor(options: RecordIODecoderOptions = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Feed the next chunk; returns every record it completes, in order. Throws RecordIOError. */
  decode(chunk: Uint8Array): Buffer[] {
    if (this.failure) throw this.failure;
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const records: Buffer[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      if (this.remaining === undefined) {
        offset = this.readPrefix(bytes, offset, records);
      } else {
        const take = Math.min(this.remaining, bytes.length - offset);
        this.parts.push(bytes.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.finishRecord(records);
      }
    }
    this.consumed += bytes.length;
    return records;
  }

  /** True when the decoder sits between records (a stream may end cleanly only there). */
  get atRecordBoundary(): boolean {
    return this.remaining === undefined && this.digits === '' && this.failure === undefined;
  }

  /** Declare the end of the stream; throws RecordIOError if it ended inside a record. */
  end(): void {
    if (this.failure) throw this.failure;
    if (!this.atRecordBoundary) {
      throw this.fail(
        this.remaining === undefined
          ? `stream ended inside a length prefix ("${this.digits}")`
          : `stream ended ${this.remaining} bytes short of a record`,
        this.consumed,
      );
    }
  }

  private readPrefix(bytes: Buffer, start: number, records: Buffer[]): number {
    for (let i = start; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (byte === NEWLINE) {
        if (this.digits === '') throw this.fail('empty length prefix', this.consumed + i);
        const length = Number(this.digits);
        if (length > this.maxRecordBytes) {
          throw this.fail(
            `record length ${length} exceeds the limit of ${this.maxRecordBytes}`,
            this.consumed + i,
          );
        }
        this.digits = '';
        this.remaining = length;
        if (length === 0) this.finishRecord(records);
        return i + 1;
      }
      if (byte < DIGIT_0 || byte > DIGIT_9) {
        throw this.fail(
          `expected a digit or newline in the length prefix, got ${describeByte(byte)}`,
          this.consumed + i,
        );
      }
      if (this.digits.length >= MAX_LENGTH_DIGITS) {
        throw this.fail(`length prefix longer than ${MAX_LENGTH_DIGITS} digits`, this.consumed + i);
      }
      this.digits += String.fromCharCode(byte);
    }
    return bytes.length;
  }

  private finishRecord(records: Buffer[]): void {
    const [only] = this.parts;
    records.push(this.parts.length === 1 && only ? only : Buffer.concat(this.parts));
    this.parts = [];
    this.remaining = undefined;
  }

  private fail(message: string, streamOffset: number): RecordIOError {
    this.failure = new RecordIOError(message, streamOffset);
    return this.failure;
  }
}

/** Frame one record. Strings are encoded as UTF-8 and their byte length is written. */
export function encodeRecord(record: string | Uint8Array): Buffer {
  const body = typeof record === 'string' ? Buffer.from(record, 'utf8') : record;
  return Buffer.concat([Buffer.from(`${body.byteLength}\n`, 'ascii'), body]);
}

/** Frame several records into one Buffer (what a master does when it flushes events together). */
export function encodeRecords(records: readonly (string | Uint8Array)[]): Buffer {
  return Buffer.concat(records.map(encodeRecord));
}
