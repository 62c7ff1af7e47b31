/** A list's JSON, built from per-item bytes kept across requests, is exactly JSON.stringify's. */
import { describe, expect, test } from 'vitest';
import type { KindDefinition } from '../../../api/kind.js';
import { objectKey } from '../../../pkg/apiserver/keys.js';
import { type ListResponse, listBody, listResources } from '../../../pkg/apiserver/listing.js';
import type { ServedKind } from '../../../pkg/apiserver/registry.js';
import type { ResourceService } from '../../../pkg/apiserver/resources.js';
import { MemoryStore } from '../../../pkg/storage/memory/memory-store.js';

const def = {
  group: 'example.dev',
  version: 'v2',
  kind: 'Widget',
  listKind: 'WidgetList',
  plural: 'widgets',
  namespaced: true,
} as unknown as KindDefinition;

/** The body's pieces joined, checking the byte length they announce. */
function listJson(list: ListResponse): string {
  const body = listBody(list);
  const whole = Buffer.concat(body.pieces);
  expect(whole.length).toBe(body.byteLength);
  return whole.toString('utf8');
}

describe('listBody', () => {
  test('same text as JSON.stringify, before and after objects change, in any served version', async () => {
    const store = await MemoryStore.open({});
    const svc = { store } as unknown as ResourceService;
    const served = { def } as unknown as ServedKind;
    const key = (n: number) => objectKey(def, 'ns', `w${n}`);
    for (let n = 0; n < 5; n++)
      await store.create(key(n), {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        metadata: { name: `w${n}` },
        n,
        text: 'non-ASCII: é ✓ 🌲', // byte length ≠ character length
      });
    const check = async (d: KindDefinition) => {
      const list = await listResources(svc, { def: d } as unknown as ServedKind, 'ns', {});
      expect(listJson(list)).toBe(JSON.stringify(list));
      return list;
    };
    expect((await check(def)).items).toHaveLength(5);
    await check(def); // texts now come from the cache
    const old = await store.get(key(2));
    await store.update(key(2), { ...(old!.value as object), n: 'changed' }, old!.revision);
    const after = await check(def);
    expect(after.items[2]?.['n']).toBe('changed');
    await check({ ...def, version: 'v1' } as KindDefinition);
    await check(def);
    // A list whose items were read first (and could have been changed) is serialized as it is.
    const read = await listResources(svc, served, 'ns', {});
    (read.items[0] as Record<string, unknown>)['n'] = 'edited';
    expect(listJson(read)).toBe(JSON.stringify(read));
    expect(listJson(read)).toContain('"edited"');
    // Filtered lists (label selector) keep items and texts together.
    const filtered = await listResources(svc, served, 'ns', { labelSelector: 'nope=1' });
    expect(listJson(filtered)).toBe(JSON.stringify(filtered));
    await store.close();
  });
});
