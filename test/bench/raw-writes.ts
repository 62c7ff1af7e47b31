/**
 * The ceiling a scenario's store-write rate is read against: batched puts with no Borealis in the
 * way, measured in the same run on the same machine (as the store-writes scenario does).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { MemoryStore } from '../../pkg/storage/memory/memory-store.js';
import type { TxnOp } from '../../pkg/storage/types.js';
import type { StoreKind } from './cluster.js';
import { payload, runConcurrent } from './store-writes.js';

const BATCH = 100;
const CONCURRENCY = 8;
const OBJECT_BYTES = 1000;

/** Puts per second: raw etcd transactions at `etcdEndpoint`, or a durable MemoryStore in a temp dir. */
export async function rawStoreWritesPerSecond(
  store: StoreKind,
  objects: number,
  etcdEndpoint: string | undefined,
): Promise<number> {
  if (store === 'etcd') {
    if (!etcdEndpoint) throw new Error('raw etcd writes need the etcd endpoint');
    const raw = new Etcd3({ hosts: etcdEndpoint });
    try {
      const rate = await runConcurrent(objects, BATCH, CONCURRENCY, async (start, n) => {
        const success = [];
        for (let i = start; i < start + n; i++) {
          success.push({
            request_put: {
              key: Buffer.from(`/raw-bench/${i}`),
              value: Buffer.from(JSON.stringify(payload(i, OBJECT_BYTES))),
            },
          });
        }
        await raw.kv.txn({ success });
      });
      return Math.round(rate);
    } finally {
      raw.close();
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'borealis-raw-'));
  const memory = await MemoryStore.open({ dataDir: dir });
  try {
    const rate = await runConcurrent(objects, BATCH, CONCURRENCY, async (start, n) => {
      const ops: TxnOp[] = [];
      for (let i = start; i < start + n; i++)
        ops.push({ op: 'create', key: `/raw/${i}`, value: payload(i, OBJECT_BYTES) });
      await memory.txn(ops);
    });
    return Math.round(rate);
  } finally {
    await memory.close();
    await rm(dir, { recursive: true, force: true });
  }
}
