/**
 * Revisions of the etcd store: etcd's revision scaled up to make room for a position.
 *
 * Group commit (./group-commit.ts) writes many unrelated keys in one etcd transaction, and etcd
 * gives every key of a transaction the same mod_revision. Handed out as is, two objects would
 * share a resourceVersion, and a client whose watch broke between the two events would resume
 * "after" that revision and never see the second one. So the store's revision is
 *
 *     etcd revision × SLOTS + position of the write in its transaction
 *
 * which keeps one distinct, totally ordered revision per write. etcd stores only its own
 * revision, so the position travels in the value: a header `@<position>:` before the JSON (JSON
 * never starts with `@`). Position 0 is written without a header, so values written by one-key
 * transactions stay plain JSON.
 *
 * Transactions the caller builds itself (Store.txn) keep Store's contract of one revision for the
 * whole transaction: every op is at position 0. A revision that names a whole etcd revision (a
 * list's, the store's current one, a progress notification) is its last slot: every write of that
 * etcd revision is at or before it.
 */

/** Room for every position of one etcd transaction (etcd's default --max-txn-ops is 128). */
export const SLOTS = 1024;

const AT = 0x40; // '@'
const COLON = 0x3a; // ':'

/** The store revision of the write at `position` of etcd revision `etcdRevision`. */
export function slotRevision(etcdRevision: number, position: number): number {
  return etcdRevision * SLOTS + position;
}

/** The store revision covering all of etcd revision `etcdRevision`. */
export function wholeRevision(etcdRevision: number): number {
  return etcdRevision * SLOTS + (SLOTS - 1);
}

/** The etcd revision a store revision belongs to. */
export function etcdRevisionOf(revision: number): number {
  return Math.floor(revision / SLOTS);
}

/**
 * The etcd revision to start reading at to see every write after store revision `revision`
 * (etcd's revisions start at 1, and a start of 0 would mean "from now").
 */
export function firstEtcdRevisionAfter(revision: number): number {
  return Math.max(1, etcdRevisionOf(revision + 1));
}

/** The stored bytes of `json` written at `position` of its transaction. */
export function withPosition(json: string, position: number): Buffer {
  return Buffer.from(position === 0 ? json : `@${position}:${json}`, 'utf8');
}

/** Only the write's position of stored bytes (without decoding the JSON). */
export function positionOf(bytes: Buffer): number {
  if (bytes.length === 0 || bytes[0] !== AT) return 0;
  return splitPosition(bytes.subarray(0, Math.min(bytes.length, 16))).position;
}

/** Split stored bytes into the write's position and its JSON text. */
export function splitPosition(bytes: Buffer): { position: number; json: string } {
  if (bytes.length === 0 || bytes[0] !== AT) return { position: 0, json: bytes.toString('utf8') };
  const colon = bytes.indexOf(COLON);
  const position = Number(bytes.toString('latin1', 1, colon));
  if (colon < 0 || !Number.isInteger(position) || position < 0 || position >= SLOTS) {
    throw new Error(`stored value has a malformed position header: ${bytes.toString('latin1', 0, 16)}`);
  }
  return { position, json: bytes.toString('utf8', colon + 1) };
}
