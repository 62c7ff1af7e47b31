/**
 * The memory store compacts by itself on a timer (as Kubernetes has etcd do): each tick compacts
 * to the revision that was newest at the previous tick. Older revisions then read as Expired and
 * watches from them end Expired; the current state, recent watches and a restart are unaffected.
 * Superseded versions keep only their JSON (no decoded copy), yet replay identically.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BorealisError } from '../../../pkg/errors/index.js';
import { FakeClock } from '../../../pkg/runtime/clock.js';
import { MemoryStore } from '../../../pkg/storage/memory/memory-store.js';
import { collect } from './watch-collector.js';

const MINUTE = 60_000;

describe('MemoryStore automatic compaction', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'borealis-compact-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('compacts to the previous tick, keeping the current state and recent watches', async () => {
    const clock = new FakeClock();
    const store = await MemoryStore.open({ dataDir: dir, clock, compactEveryMs: MINUTE });
    const a = await store.create('/c/a', { n: 1 });
    const a2 = await store.update('/c/a', { n: 2 }, a.revision);
    await store.create('/c/gone', 1);
    await store.delete('/c/gone');
    const old = await store.currentRevision();

    // First tick: nothing older than the tick before (the store's start) to drop.
    clock.advance(MINUTE);
    expect((await store.list('/c/', { revision: a.revision })).items).toEqual([
      expect.objectContaining({ key: '/c/a', value: { n: 1 } }),
    ]);
    const recent = await store.update('/c/a', { n: 3 }, a2.revision);

    // Second tick: compacts to `old` (newest at the first tick).
    clock.advance(MINUTE);
    const err = await store.list('/c/', { revision: a.revision }).catch((e: unknown) => e);
    expect((err as BorealisError).code).toBe('Expired');
    const late = collect(store, '/c/', a.revision);
    await late.until(() => late.errors.length === 1);
    expect((late.errors[0] as BorealisError).code).toBe('Expired');

    // From the compaction point on, history is intact: the update after it replays.
    const w = collect(store, '/c/', old);
    await w.until(() => w.events.length === 1);
    expect(w.events[0]).toMatchObject({ type: 'put', revision: recent.revision, value: { value: { n: 3 } } });
    expect(w.events[0]).toMatchObject({ prev: { value: { n: 2 } } });
    expect((await store.list('/c/')).items.map((i) => i.value)).toEqual([{ n: 3 }]);
    await store.close();

    const reopened = await MemoryStore.open({ dataDir: dir, compactEveryMs: 0 });
    expect((await reopened.get('/c/a'))?.value).toEqual({ n: 3 });
    expect(await reopened.get('/c/gone')).toBeUndefined();
    expect(await reopened.currentRevision()).toBe(recent.revision);
    await reopened.close();
  });

  it('replays superseded versions and deletes from history with their values', async () => {
    const store = await MemoryStore.open({ compactEveryMs: 0 });
    const start = await store.currentRevision();
    const a = await store.create('/h/a', { v: 'one' });
    const b = await store.update('/h/a', { v: 'two' }, a.revision);
    await store.delete('/h/a', b.revision);
    const w = collect(store, '/h/', start);
    await w.until(() => w.events.length === 3);
    expect(w.events.map((e) => e.type)).toEqual(['put', 'put', 'delete']);
    expect(w.events[0]).toMatchObject({ value: { value: { v: 'one' } } });
    expect(w.events[1]).toMatchObject({ value: { value: { v: 'two' } }, prev: { value: { v: 'one' } } });
    expect(w.events[2]).toMatchObject({ prev: { value: { v: 'two' } } });
    // A historical read decodes the old version again; the newest stays one shared object.
    expect((await store.list('/h/', { revision: a.revision })).items[0]?.value).toEqual({ v: 'one' });
    const c = await store.create('/h/c', { v: 'x' });
    expect(await store.get('/h/c')).toBe(await store.get('/h/c'));
    expect((await store.get('/h/c'))?.revision).toBe(c.revision);
    await store.close();
  });

  it('bounds history by the bytes of the values it refers to', async () => {
    const store = await MemoryStore.open({ compactEveryMs: 0, historyBytes: 10_000 });
    const big = 'x'.repeat(1000);
    const first = await store.create('/b/0', big);
    let last = first;
    for (let i = 1; i < 40; i++) last = await store.create(`/b/${i}`, big);
    const late = collect(store, '/b/', first.revision);
    await late.until(() => late.errors.length === 1);
    expect((late.errors[0] as BorealisError).code).toBe('Expired');
    // About the last 10 KB of history (~9 values of 1 KB) can still be replayed.
    const recent = collect(store, '/b/', last.revision - 8);
    await recent.until(() => recent.events.length === 8);
    expect(recent.errors).toEqual([]);
    expect((await store.list('/b/')).items).toHaveLength(40);
    await store.close();
  });

  it('stops its timer on close', async () => {
    const clock = new FakeClock();
    const store = await MemoryStore.open({ clock, compactEveryMs: MINUTE });
    expect(clock.pending()).toBe(1);
    await store.close();
    clock.advance(2 * MINUTE);
    expect(clock.pending()).toBe(0);
  });
});
