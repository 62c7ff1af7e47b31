/**
 * Sending a list body (listing.ts's pieces). A list of 500 Jobs is ≈ 750 KB; written in one go it
 * was one synchronous block of several ms (joining the text, encoding it as UTF-8, encrypting and
 * writing it), and with 60 lists/s those blocks were where every other request waited in the
 * `api` benchmark (docs/performance.md). A big body is sent as a stream of chunks of ≈ 256 KB, one
 * per turn of the event loop, so requests that arrive meanwhile are answered between two chunks;
 * each chunk is copied from the cached item bytes only when it is about to be written. Not
 * smaller: a list waits a whole turn (every request that arrived meanwhile) per chunk, and with
 * 64 KB chunks (12 turns for 750 KB) lists on a busy machine took several times as long.
 *
 * The bytes and the Content-Length are the same as those of the whole body sent at once.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { ListBody } from './listing.js';

const CHUNK_BYTES = 256 * 1024;

/**
 * The pieces as chunks of ≥ CHUNK_BYTES (the last may be smaller): the first at once, then one
 * per setImmediate.
 */
class ChunkedPieces extends Readable {
  private next = 0;
  private scheduled = false;

  constructor(private readonly pieces: readonly Buffer[]) {
    super();
  }

  override _read(): void {
    if (this.next === 0) {
      this.push(this.nextChunk());
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase: sockets that became readable meanwhile go first.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.destroyed) this.push(this.nextChunk());
    });
  }

  private nextChunk(): Buffer | null {
    if (this.next >= this.pieces.length) return null;
    const chunk: Buffer[] = [];
    let bytes = 0;
    while (this.next < this.pieces.length && bytes < CHUNK_BYTES) {
      const piece = this.pieces[this.next++] as Buffer;
      chunk.push(piece);
      bytes += piece.length;
    }
    return Buffer.concat(chunk, bytes);
  }
}

export function sendListBody(reply: FastifyReply, contentType: string, body: ListBody): FastifyReply {
  reply.header('Content-Type', contentType);
  if (body.byteLength <= CHUNK_BYTES) return reply.send(Buffer.concat(body.pieces, body.byteLength));
  return reply.header('Content-Length', String(body.byteLength)).send(new ChunkedPieces(body.pieces));
}
