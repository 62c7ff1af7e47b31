/**
 * A watch on the etcd store survives an etcd restart: changes made before the crash and after
 * the restart all arrive, once each, in order; writes while etcd is down fail loudly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BorealisError } from '../../../pkg/errors/index.js';
import { EtcdStore } from '../../../pkg/storage/etcd/etcd-store.js';
import { type EtcdServer, startEtcd } from '../../harness/etcd.js';
import { collect } from './watch-collector.js';

async function retryUnavailable<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const retryable = err instanceof BorealisError && err.code === 'ServiceUnavailable';
      if (!retryable || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('EtcdStore across an etcd restart', () => {
  let etcd: EtcdServer;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd.stop();
  });

  it('resumes an open watch without losing or repeating a change', async () => {
    const store = new EtcdStore({ endpoints: [etcd.endpoint], client: { dialTimeout: 2000 } });
    const w = collect(store, '/r/', await store.currentRevision());
    await w.handle.ready;
    for (let i = 0; i < 5; i++) await store.create(`/r/before-${i}`, i);
    await w.until(() => w.events.length === 5);

    await etcd.kill('SIGKILL');
    const whileDown = await store.create('/r/while-down', 1).catch((e: unknown) => e);
    expect(whileDown).toBeInstanceOf(BorealisError);
    expect((whileDown as BorealisError).code).toBe('ServiceUnavailable');
    await etcd.restart();

    // Callers retry ServiceUnavailable (the client's circuit breaker stays open a few seconds).
    for (let i = 0; i < 5; i++) await retryUnavailable(() => store.create(`/r/after-${i}`, i));
    await w.until(() => w.events.length === 10, 20_000);
    expect(w.events.map((e) => e.key)).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `/r/before-${i}`),
      ...Array.from({ length: 5 }, (_, i) => `/r/after-${i}`),
    ]);
    const revisions = w.events.map((e) => e.revision);
    expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);
    expect(w.errors).toEqual([]);
    w.handle.close();
    await store.close();
  }, 45_000);
});
