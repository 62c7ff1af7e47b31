/**
 * Bulk writes larger than one transaction may hold. etcd refuses transactions of more than
 * MAX_TXN_OPS operations, so `batch` splits the work into consecutive transactions of at most
 * that size. Each chunk is atomic; the batch as a whole is not: on a failed chunk, the earlier
 * chunks stay committed and the error says how many operations were written.
 */
import { BorealisError, toBorealisError } from '../errors/index.js';
import { MAX_TXN_OPS, type Store, type TxnOp, type TxnResult } from './types.js';

export interface BatchResult {
  /** One TxnResult per committed chunk, in order. */
  readonly chunks: readonly TxnResult[];
}

export async function batch(
  store: Store,
  ops: readonly TxnOp[],
  chunkSize = MAX_TXN_OPS,
): Promise<BatchResult> {
  const size = Math.min(Math.max(1, chunkSize), MAX_TXN_OPS);
  const chunks: TxnResult[] = [];
  for (let start = 0; start < ops.length; start += size) {
    try {
      chunks.push(await store.txn(ops.slice(start, start + size)));
    } catch (err) {
      const e = toBorealisError(err);
      throw new BorealisError(
        e.code,
        `${e.message} (batch stopped: ${start} of ${ops.length} operations written)`,
        {
          cause: err,
          causes: e.causes,
        },
      );
    }
  }
  return { chunks };
}
