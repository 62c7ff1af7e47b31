/**
 * Benchmark: batched write throughput of both stores, and of raw etcd puts in the same run, so
 * the store's overhead reads as a ratio to what etcd itself can take on this machine.
 *
 * Each target writes `objects` JSON objects of ~`objectBytes` bytes in transactions of `batchSize`
 * creates, `concurrency` transactions in flight. Prints one JSON object as its last line.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { EtcdStore } from '../../pkg/storage/etcd/etcd-store.js';
import { MemoryStore } from '../../pkg/storage/memory/memory-store.js';
import type { Store, TxnOp } from '../../pkg/storage/types.js';
import { startEtcd } from '../harness/etcd.js';
import { type BenchArgs, numberArg } from './args.js';

export function payload(i: number, bytes: number): unknown {
  return {
    apiVersion: 'borealis.dev/v1',
    kind: 'Task',
    metadata: { name: `task-${i}` },
    spec: { pad: 'x'.repeat(bytes) },
  };
}

export async function runConcurrent(
  total: number,
  batchSize: number,
  concurrency: number,
  write: (start: number, n: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const start = next;
      const n = Math.min(batchSize, total - start);
      next += n;
      await write(start, n);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - t0) / 1000);
}

function storeWriter(store: Store, prefix: string, bytes: number) {
  return async (start: number, n: number): Promise<void> => {
    const ops: TxnOp[] = [];
    for (let i = start; i < start + n; i++)
      ops.push({ op: 'create', key: `${prefix}${i}`, value: payload(i, bytes) });
    await store.txn(ops);
  };
}

export async function storeWrites(args: BenchArgs): Promise<Record<string, unknown>> {
  const objects = numberArg(args, 'objects', 20_000);
  const batchSize = numberArg(args, 'batch', 100);
  const concurrency = numberArg(args, 'concurrency', 8);
  const objectBytes = numberArg(args, 'object-bytes', 1000);
  const etcd = await startEtcd();
  const dir = await mkdtemp(join(tmpdir(), 'borealis-bench-'));
  try {
    const raw = new Etcd3({ hosts: etcd.endpoint });
    const rawPerSecond = await runConcurrent(objects, batchSize, concurrency, async (start, n) => {
      const success = [];
      for (let i = start; i < start + n; i++) {
        success.push({
          request_put: {
            key: Buffer.from(`/raw/${i}`),
            value: Buffer.from(JSON.stringify(payload(i, objectBytes))),
          },
        });
      }
      await raw.kv.txn({ success });
    });
    raw.close();

    const etcdStore = new EtcdStore({ endpoints: [etcd.endpoint] });
    const etcdPerSecond = await runConcurrent(
      objects,
      batchSize,
      concurrency,
      storeWriter(etcdStore, '/store/', objectBytes),
    );
    await etcdStore.close();

    const durable = await MemoryStore.open({ dataDir: dir });
    const memoryDurablePerSecond = await runConcurrent(
      objects,
      batchSize,
      concurrency,
      storeWriter(durable, '/m/', objectBytes),
    );
    await durable.close();

    const volatile = await MemoryStore.open({});
    const memoryNoDataDirPerSecond = await runConcurrent(
      objects,
      batchSize,
      concurrency,
      storeWriter(volatile, '/m/', objectBytes),
    );
    await volatile.close();

    return {
      scenario: 'store-writes',
      rawEtcdPutsPerSecond: Math.round(rawPerSecond),
      etcdStoreWritesPerSecond: Math.round(etcdPerSecond),
      etcdStoreToRawRatio: Number((etcdPerSecond / rawPerSecond).toFixed(3)),
      memoryStoreWritesPerSecond: Math.round(memoryDurablePerSecond),
      memoryStoreNoDataDirWritesPerSecond: Math.round(memoryNoDataDirPerSecond),
      config: { objects, batchSize, concurrency, objectBytes, node: process.version, cpus: cpus().length },
    };
  } finally {
    await etcd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
