import { describe, expect, it } from 'vitest';
import { BorealisError } from '../../../pkg/errors/index.js';
import { isExpired, storeListWatch } from '../../../pkg/runtime/list-watch.js';
import { MemoryStore } from '../../../pkg/storage/memory/memory-store.js';

describe('isExpired: what makes an informer list again', () => {
  it.each([
    { what: 'BorealisError Expired (Store)', err: new BorealisError('Expired', 'too old'), expired: true },
    { what: 'BorealisError Gone', err: new BorealisError('Gone', 'gone'), expired: true },
    {
      what: 'HTTP 410 as status (fetch-style client)',
      err: Object.assign(new Error('x'), { status: 410 }),
      expired: true,
    },
    { what: 'HTTP 410 as statusCode', err: { statusCode: 410 }, expired: true },
    { what: 'Kubernetes Status code 410', err: { code: 410, reason: 'Expired' }, expired: true },
    { what: 'Conflict', err: new BorealisError('Conflict', 'x'), expired: false },
    { what: 'connection reset', err: new Error('ECONNRESET'), expired: false },
    { what: 'HTTP 500', err: { status: 500 }, expired: false },
    { what: 'a string', err: '410', expired: false },
    { what: 'undefined', err: undefined, expired: false },
  ])('$what → $expired', ({ err, expired }) => {
    expect(isExpired(err)).toBe(expired);
  });
});

describe('storeListWatch', () => {
  it('stamps each object with its store revision as resourceVersion, in list pages and watch events', async () => {
    const store = await MemoryStore.open({});
    try {
      const a = await store.create('/r/a', { metadata: { name: 'a' } });
      await store.create('/r/b', { metadata: { name: 'b' } });
      const src = storeListWatch<{ metadata: { name: string; resourceVersion?: string } }>(store, '/r/');
      const page1 = await src.list({ limit: 1 });
      expect(page1.items.map((i) => i.metadata)).toEqual([
        { name: 'a', resourceVersion: String(a.revision) },
      ]);
      expect(page1.continue).toBeDefined();
      const page2 = await src.list({ limit: 1, ...(page1.continue ? { continue: page1.continue } : {}) });
      expect(page2.items.map((i) => i.metadata.name)).toEqual(['b']);
      expect(page2.resourceVersion).toBe(page1.resourceVersion); // one consistent snapshot

      const events: string[] = [];
      const w = src.watch(page1.resourceVersion, {
        onEvent: (e) => events.push(`${e.type} ${e.object.metadata.resourceVersion}`),
        onError: (err) => events.push(`error ${String(err)}`),
      });
      const upd = await store.update('/r/a', { metadata: { name: 'a' } }, a.revision);
      const del = await store.delete('/r/b');
      const cur = await store.currentRevision();
      await new Promise((r) => setTimeout(r, 20));
      w.close();
      // The delete carries the deletion's revision, so a resumed watch will not replay it.
      expect(events).toEqual([`MODIFIED ${upd.revision}`, `DELETED ${cur}`]);
      expect(del.revision).toBeLessThan(cur);
      expect(() => src.watch('not-a-number', { onEvent() {}, onError() {} })).toThrow(/not a store revision/);
    } finally {
      await store.close();
    }
  });
});
