/**
 * The memory store keeps what it acknowledged across restarts: a clean close writes a snapshot;
 * a crash (no close) leaves the write-ahead log, which is replayed; a torn last log line from a
 * crash mid-write is dropped; a second process cannot open the same data dir.
 */
import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BorealisError } from '../../../pkg/errors/index.js';
import { MemoryStore } from '../../../pkg/storage/memory/memory-store.js';
import { collect } from './watch-collector.js';

describe('MemoryStore durability', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'borealis-durable-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('restarts from its snapshot with every key, revision and TTL intact', async () => {
    const first = await MemoryStore.open({ dataDir: dir });
    const a = await first.create('/r/a', { n: 1 });
    await first.update('/r/a', { n: 2 }, a.revision);
    await first.create('/r/b', { n: 1 });
    await first.create('/r/gone', { n: 1 });
    await first.delete('/r/gone');
    await first.create('/r/ttl', { n: 1 }, { ttlSeconds: 3600 });
    const revisionBefore = await first.currentRevision();
    const before = await first.list('/r/');
    await first.close();
    expect(await readdir(dir)).toContain('snapshot.jsonl');

    const second = await MemoryStore.open({ dataDir: dir });
    expect(await second.currentRevision()).toBe(revisionBefore);
    expect((await second.list('/r/')).items).toEqual(before.items);
    expect((await second.get('/r/ttl'))?.expiresAt).toBeGreaterThan(Date.now());
    // Revisions keep counting up, and compare-and-swap uses the recovered revisions.
    const b = (await second.get('/r/b'))!;
    const b2 = await second.update('/r/b', { n: 2 }, b.revision);
    expect(b2.revision).toBe(revisionBefore + 1);
    await second.close();
  });

  it('replays the write-ahead log after a crash, and watches resume across it', async () => {
    const crashed = await MemoryStore.open({ dataDir: dir, snapshotEveryRevisions: 1_000_000 });
    const written: number[] = [];
    for (let i = 0; i < 50; i++) written.push((await crashed.create(`/c/${i}`, { i })).revision);
    // No close(): the process "dies" here. Every acknowledged write is already on disk.
    const recovered = await MemoryStore.open({ dataDir: dir });
    const items = (await recovered.list<{ i: number }>('/c/')).items;
    expect(items.map((x) => x.value.i).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    // A client that had seen revision written[39] resumes its watch and gets exactly the rest.
    const w = collect(recovered, '/c/', written[39]!);
    await w.until(() => w.events.length === 10);
    expect(w.events.map((e) => e.revision)).toEqual(written.slice(40));
    w.handle.close();
    await recovered.close();
  });

  it('drops a torn final log record from a crash mid-write and keeps everything before it', async () => {
    const crashed = await MemoryStore.open({ dataDir: dir, snapshotEveryRevisions: 1_000_000 });
    await crashed.create('/t/ok', 'kept');
    const wal = (await readdir(dir)).find((f) => f.startsWith('wal-'))!;
    await appendFile(join(dir, wal), '{"r":99,"o":[{"k":"/t/torn","c":99,"v":{"half');
    const recovered = await MemoryStore.open({ dataDir: dir });
    expect((await recovered.get('/t/ok'))?.value).toBe('kept');
    expect(await recovered.get('/t/torn')).toBeUndefined();
    // New writes after recovery are durable too.
    await recovered.create('/t/after', 'new');
    await recovered.close();
    const again = await MemoryStore.open({ dataDir: dir });
    expect((await again.get('/t/after'))?.value).toBe('new');
    await again.close();
  });

  it('refuses a data dir that another live process holds, and takes over a dead process lock', async () => {
    // Our parent process (the test runner) is alive: a lock naming it is refused.
    await writeFile(join(dir, 'LOCK'), String(process.ppid));
    const err = await MemoryStore.open({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BorealisError);
    expect((err as BorealisError).message).toMatch(`in use by process ${process.ppid}`);
    // A process that has exited leaves a stale lock, which is taken over.
    const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
    await writeFile(join(dir, 'LOCK'), dead);
    const store = await MemoryStore.open({ dataDir: dir });
    await store.create('/lock/ok', true);
    await store.close();
  });

  it('compacts old watch history by itself and tells late watchers to re-list', async () => {
    const store = await MemoryStore.open({ historyEvents: 20 });
    const first = await store.create('/h/0', 0);
    for (let i = 1; i < 60; i++) await store.create(`/h/${i}`, i);
    const w = collect(store, '/h/', first.revision);
    await w.until(() => w.errors.length === 1);
    expect((w.errors[0] as BorealisError).code).toBe('Expired');
    expect((await store.list('/h/')).items).toHaveLength(60);
    await store.close();
  });
});
