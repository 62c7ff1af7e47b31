/**
 * The group-commit queue alone (the etcd side is tested against a real etcd in
 * test/integration/storage/etcd-group-commit.test.ts): what gathers into which batch.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommitter, type QueuedWrite } from '../../../pkg/storage/etcd/group-commit.js';

interface W extends QueuedWrite {
  readonly name: string;
}

const write = (name: string, key = name, bytes = 10): W => ({
  name,
  key,
  bytes,
  reject: () => undefined,
});

/** A committer whose batches stay in flight until the test lets them finish. */
function harness(options = { maxInFlight: 1, maxWrites: 3, maxBytes: 100 }) {
  const batches: string[][] = [];
  const finish: ((retry: W[]) => void)[] = [];
  const committer = new GroupCommitter<W>(
    (batch) =>
      new Promise((resolve) => {
        batches.push(batch.map((w) => w.name));
        finish.push(resolve);
      }),
    options,
  );
  const tick = () => new Promise((r) => setImmediate(r));
  /** Let batch `i` finish (handing back `retry`) and the next batch leave. */
  const complete = async (i: number, retry: W[] = []): Promise<void> => {
    finish[i]!(retry);
    await tick();
    await tick();
  };
  return { committer, batches, tick, complete };
}

describe('GroupCommitter', () => {
  it('sends writes issued together as one batch, and gathers the next while one is in flight', async () => {
    const { committer, batches, tick, complete } = harness();
    committer.submit(write('a'));
    committer.submit(write('b'));
    await tick();
    expect(batches).toEqual([['a', 'b']]);
    for (const n of ['c', 'd', 'e', 'f']) committer.submit(write(n));
    await tick();
    expect(batches).toHaveLength(1); // one in flight at most
    await complete(0);
    expect(batches).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]); // at most maxWrites
    await complete(1);
    expect(batches[2]).toEqual(['f']);
  });

  it('never puts two writes of one key in a batch, and keeps them in order', async () => {
    const { committer, batches, tick, complete } = harness({
      maxInFlight: 1,
      maxWrites: 10,
      maxBytes: 1000,
    });
    committer.submit(write('x1', 'x'));
    committer.submit(write('y1', 'y'));
    committer.submit(write('x2', 'x'));
    committer.submit(write('z1', 'z'));
    committer.submit(write('x3', 'x'));
    await tick();
    expect(batches[0]).toEqual(['x1', 'y1', 'z1']);
    await complete(0);
    expect(batches[1]).toEqual(['x2']);
    await complete(1);
    expect(batches[2]).toEqual(['x3']);
  });

  it('keeps a batch under the byte limit but always sends a write bigger than it', async () => {
    const { committer, batches, tick, complete } = harness({
      maxInFlight: 1,
      maxWrites: 10,
      maxBytes: 100,
    });
    committer.submit(write('big', 'big', 500));
    committer.submit(write('s1', 's1', 60));
    committer.submit(write('s2', 's2', 60));
    await tick();
    expect(batches[0]).toEqual(['big']);
    await complete(0);
    expect(batches[1]).toEqual(['s1']);
  });

  it('sends the writes to retry next, alone, before anything queued after them', async () => {
    const { committer, batches, tick, complete } = harness({
      maxInFlight: 1,
      maxWrites: 10,
      maxBytes: 1000,
    });
    const [a, b, c] = [write('a'), write('b'), write('c')];
    for (const w of [a, b, c]) committer.submit(w);
    await tick();
    committer.submit(write('later'));
    await complete(0, [a, c]); // b failed its guard and was refused; a and c held theirs
    expect(batches[1]).toEqual(['a', 'c']);
    await complete(1);
    expect(batches[2]).toEqual(['later']);
  });
});

describe('GroupCommitter with several batches in flight', () => {
  it('holds a key back while a batch holding it is in flight', async () => {
    const { committer, batches, tick, complete } = harness({
      maxInFlight: 2,
      maxWrites: 10,
      maxBytes: 1000,
    });
    committer.submit(write('x1', 'x'));
    await tick();
    committer.submit(write('x2', 'x'));
    committer.submit(write('y1', 'y'));
    await tick();
    expect(batches).toEqual([['x1'], ['y1']]);
    await complete(0);
    expect(batches[2]).toEqual(['x2']);
  });
});

describe('GroupCommitter when committing throws', () => {
  it('fails every write of the batch instead of leaving it waiting, and goes on', async () => {
    const failed: string[] = [];
    let calls = 0;
    const committer = new GroupCommitter<W>(async () => {
      calls++;
      if (calls === 1) throw new Error('bug');
      return [];
    });
    const w = (name: string): W => ({ ...write(name), reject: (e) => failed.push(`${name}: ${e.message}`) });
    committer.submit(w('a'));
    committer.submit(w('b'));
    await new Promise((r) => setTimeout(r, 10));
    expect(failed).toEqual(['a: bug', 'b: bug']);
    committer.submit(w('c'));
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(2);
    expect(failed).toHaveLength(2);
  });
});
