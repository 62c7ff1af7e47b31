import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import {
  alwaysLeader,
  EtcdLeaderElector,
  type FencingToken,
  fencingCheck,
} from '../../../pkg/runtime/leader-election.js';
import { EtcdStore } from '../../../pkg/storage/etcd/etcd-store.js';
import { tcpProxy } from './tcp-proxy.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Candidate {
  readonly elector: EtcdLeaderElector;
  readonly client: Etcd3;
  readonly log: { at: number; what: string; token?: FencingToken }[];
  readonly leaders: (string | undefined)[];
}

const TTL = 2;

function candidate(key: string, identity: string, endpoint = inject('etcdEndpoint')): Candidate {
  const client = new Etcd3({ hosts: [endpoint] });
  const elector = new EtcdLeaderElector({ client, key, identity, ttlSeconds: TTL });
  const c: Candidate = { elector, client, log: [], leaders: [] };
  elector.run({
    onStartedLeading: (token) => c.log.push({ at: Date.now(), what: 'started', token }),
    onStoppedLeading: (reason) => c.log.push({ at: Date.now(), what: `stopped: ${reason}` }),
    onNewLeader: (id) => c.leaders.push(id),
  });
  cleanup.push(async () => {
    await elector.resign().catch(() => {});
    client.close();
  });
  return c;
}

describe('EtcdLeaderElector against a real etcd', () => {
  it('one of two candidates leads; when its client dies the other takes over within the TTL and the old one is told', async () => {
    const key = `/leader-test/${randomUUID()}`;
    const proxy = await tcpProxy(inject('etcdEndpoint'));
    cleanup.push(() => proxy.cut());
    const a = candidate(key, 'a', proxy.endpoint);
    await vi.waitFor(() => expect(a.elector.isLeader()).toBe(true), { timeout: 5000 });
    const b = candidate(key, 'b');
    await vi.waitFor(() => expect(b.leaders).toEqual(['a']), { timeout: 5000 });
    expect(b.elector.isLeader()).toBe(false);
    const tokenA = a.elector.token();
    expect(tokenA?.identity).toBe('a');

    const killedAt = Date.now();
    // The leader's process loses etcd: its connection is cut (as a crash or partition would),
    // and its client closed.
    await proxy.cut();
    a.client.close();
    await vi.waitFor(() => expect(b.elector.isLeader()).toBe(true), {
      timeout: TTL * 1000 + 3000,
      interval: 50,
    });
    const bStarted = b.log.find((e) => e.what === 'started');
    const aStopped = a.log.find((e) => e.what.startsWith('stopped'));
    expect(aStopped?.what).toMatch(/^stopped: (renew deadline exceeded|lease lost)$/);
    expect(a.elector.isLeader()).toBe(false);
    // Safety: the old leader stepped down before the new one started.
    expect(aStopped?.at).toBeLessThanOrEqual(bStarted?.at ?? 0);
    // Liveness: takeover within the lease TTL, plus etcd's 500 ms expiry sweep and our retry
    // period (measured: ~2.0-2.5 s for a 2 s TTL).
    expect((bStarted?.at ?? Number.POSITIVE_INFINITY) - killedAt).toBeLessThan(TTL * 1000 + 1500);
    // Fencing: the new term's token is strictly newer.
    expect(bStarted?.token?.revision).toBeGreaterThan(tokenA?.revision ?? Number.POSITIVE_INFINITY);
    expect(await b.elector.currentLeader()).toBe('b');

    // Writers fenced with the old term's token are refused; the new term's token passes.
    const store = new EtcdStore({ endpoints: [inject('etcdEndpoint')] });
    cleanup.push(() => store.close());
    const write = (token: FencingToken) =>
      store.txn([
        fencingCheck(token),
        { op: 'create', key: `${key}-data-${token.identity}`, value: { by: token.identity } },
      ]);
    await expect(write(tokenA as FencingToken)).rejects.toMatchObject({ code: 'Conflict' });
    await expect(write(b.elector.token() as FencingToken)).resolves.toBeDefined();
  });

  it('resign hands leadership over at once, without waiting for the lease to expire', async () => {
    const key = `/leader-test/${randomUUID()}`;
    const a = candidate(key, 'a');
    await vi.waitFor(() => expect(a.elector.isLeader()).toBe(true), { timeout: 5000 });
    const b = candidate(key, 'b');
    await vi.waitFor(() => expect(b.leaders).toEqual(['a']), { timeout: 5000 });
    const resignedAt = Date.now();
    await a.elector.resign();
    expect(a.log.map((e) => e.what)).toEqual(['started', 'stopped: resigned']);
    await vi.waitFor(() => expect(b.elector.isLeader()).toBe(true), { timeout: 5000, interval: 20 });
    // Retry period is TTL/4 = 500 ms; far less than the 2 s lease.
    expect(Date.now() - resignedAt).toBeLessThan(TTL * 1000);
    // a stays out: it resigned for good.
    await new Promise((r) => setTimeout(r, 700));
    expect(a.log).toHaveLength(2);
  });
});

describe('alwaysLeader', () => {
  it('leads at once and stops on resign', async () => {
    const e = alwaysLeader('solo');
    const log: string[] = [];
    e.run({
      onStartedLeading: (t) => log.push(`started ${t.identity}`),
      onStoppedLeading: (r) => log.push(r),
    });
    await Promise.resolve();
    expect(e.isLeader()).toBe(true);
    expect(log).toEqual(['started solo']);
    await e.resign();
    expect(e.isLeader()).toBe(false);
    expect(e.token()).toBeUndefined();
    expect(log).toEqual(['started solo', 'resigned']);
  });
});
