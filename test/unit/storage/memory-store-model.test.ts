/**
 * Property: any sequence of creates, updates (fresh or stale), deletes and compactions leaves the
 * memory store agreeing with a plain Map model — same keys, values and guard outcomes — and a
 * watch from the start replays exactly the successful writes, in order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BorealisError } from '../../../pkg/errors/index.js';
import { MemoryStore } from '../../../pkg/storage/memory/memory-store.js';
import type { WatchEvent } from '../../../pkg/storage/types.js';

type Op =
  | { kind: 'create'; key: string; value: number }
  | { kind: 'update'; key: string; value: number; stale: boolean }
  | { kind: 'delete'; key: string }
  | { kind: 'list'; limit: number };

const key = fc.constantFrom('/m/a', '/m/b', '/m/c', '/m/d');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant('update' as const), key, value: fc.integer(), stale: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('list' as const), limit: fc.integer({ min: 1, max: 3 }) }),
);

describe('MemoryStore against a Map model', () => {
  it('agrees with the model on every outcome and replays every successful write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const store = await MemoryStore.open({});
        const model = new Map<string, { value: number; revision: number }>();
        const expectedEvents: string[] = [];
        const start = await store.currentRevision();
        for (const o of ops) {
          if (o.kind === 'list') {
            const seen: string[] = [];
            let cont: string | undefined;
            do {
              const page = await store.list<number>(
                '/m/',
                cont === undefined ? { limit: o.limit } : { limit: o.limit, continue: cont },
              );
              seen.push(...page.items.map((i) => `${i.key}=${i.value}`));
              cont = page.continue;
            } while (cont);
            const want = [...model.entries()]
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, v]) => `${k}=${v.value}`);
            expect(seen).toEqual(want);
            continue;
          }
          const current = model.get(o.key);
          const outcome = await (async () => {
            try {
              if (o.kind === 'create') return await store.create(o.key, o.value);
              if (o.kind === 'update')
                return await store.update(o.key, o.value, (current?.revision ?? 1) - (o.stale ? 1 : 0));
              return await store.delete(o.key);
            } catch (err) {
              return err instanceof BorealisError ? err.code : 'unexpected';
            }
          })();
          let want: string;
          if (o.kind === 'create') want = current ? 'AlreadyExists' : 'ok';
          else if (!current) want = 'NotFound';
          else want = o.kind === 'update' && o.stale ? 'Conflict' : 'ok';
          expect(typeof outcome === 'string' ? outcome : 'ok').toBe(want);
          if (typeof outcome === 'string') continue;
          if (o.kind === 'delete') {
            model.delete(o.key);
            expectedEvents.push(`delete ${o.key}`);
          } else {
            model.set(o.key, {
              value: o.kind === 'create' || o.kind === 'update' ? o.value : 0,
              revision: outcome.revision,
            });
            expectedEvents.push(`put ${o.key}=${o.value}`);
          }
        }
        const events: WatchEvent[] = [];
        const handle = store.watch(
          '/m/',
          { fromRevision: start },
          { onEvents: (b) => events.push(...b), onError: () => undefined },
        );
        await new Promise((r) => setTimeout(r, 0));
        handle.close();
        expect(
          events.map((e) => (e.type === 'put' ? `put ${e.key}=${e.value.value}` : `delete ${e.key}`)),
        ).toEqual(expectedEvents);
        await store.close();
      }),
      { numRuns: 150 },
    );
  });
});
