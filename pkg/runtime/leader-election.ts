/**
 * Leader election: exactly one controller manager acts at a time. Over etcd it is a lease plus a
 * compare-and-swap create of the leader key bound to that lease: whoever creates the key leads
 * until the lease dies (etcd then deletes the key), and the key's create revision is a fencing
 * token that only grows, which writers can guard their transactions with (`fencingCheck`).
 *
 * Losing leadership must be noticed before anyone else can win it, so the leader does not trust
 * etcd3's own "lost" event alone (it fires only after 2×TTL without contact): a watchdog on the
 * injected clock declares leadership lost when no keepalive has succeeded for `renewDeadlineMs`
 * (default 2/3 of the TTL), which is before etcd can expire the lease (TTL after its last renewal),
 * as long as one round trip takes less than the remaining third.
 */

import type { Lease, Namespace } from 'etcd3';
import { componentLogger, type Logger } from '../log/index.js';
import { etcdRevisionOf, slotRevision } from '../storage/etcd/revisions.js';
import type { TxnOp } from '../storage/types.js';
import { type Clock, sleep, systemClock, type TimerHandle } from './clock.js';

export interface FencingToken {
  readonly identity: string;
  /** The leader key (as the elector's etcd client names it). */
  readonly key: string;
  /** etcd lease id (decimal string); "local" for alwaysLeader(). */
  readonly leaseId: string;
  /** Create revision of the leader key, in Store revision units: strictly larger for every new term. */
  readonly revision: number;
}

export interface LeaderCallbacks {
  /** This candidate now leads: start controllers. */
  onStartedLeading(token: FencingToken): void;
  /** Leadership ended (lease lost, renew deadline missed, key gone, resigned): stop at once. */
  onStoppedLeading(reason: string): void;
  /** The observed leader changed (undefined: nobody leads). */
  onNewLeader?(identity: string | undefined): void;
}

export interface LeaderElector {
  readonly identity: string;
  /** Campaign (again after every loss) until resign(); report through the callbacks. */
  run(callbacks: LeaderCallbacks): void;
  /** Give up leadership (if held) and stop campaigning. */
  resign(): Promise<void>;
  isLeader(): boolean;
  /** The current term's token while leading. */
  token(): FencingToken | undefined;
}

/**
 * The leader key's value is a JSON document (like a Kubernetes Lease's spec.holderIdentity), so
 * Store readers, and fencingCheck guards which read the key through the Store, can decode it.
 */
function encodeHolder(identity: string): string {
  return JSON.stringify({ holderIdentity: identity });
}

function decodeHolder(raw: string): string | undefined {
  try {
    const doc: unknown = JSON.parse(raw);
    if (typeof doc === 'object' && doc !== null && 'holderIdentity' in doc) return String(doc.holderIdentity);
  } catch {
    // not ours: report it raw below
  }
  return raw;
}

/** A Store transaction guard that fails once `token`'s term has ended (the key was re-created). */
export function fencingCheck(token: FencingToken): TxnOp {
  return { op: 'check', key: token.key, expectedRevision: token.revision };
}

/** For the single-process memory store: this process always leads. */
export function alwaysLeader(identity = 'local'): LeaderElector {
  let callbacks: LeaderCallbacks | undefined;
  let leading = false;
  const token: FencingToken = { identity, key: '', leaseId: 'local', revision: 0 };
  return {
    identity,
    run(cb) {
      callbacks = cb;
      leading = true;
      queueMicrotask(() => {
        cb.onNewLeader?.(identity);
        cb.onStartedLeading(token);
      });
    },
    async resign() {
      if (!leading) return;
      leading = false;
      callbacks?.onStoppedLeading('resigned');
    },
    isLeader: () => leading,
    token: () => (leading ? token : undefined),
  };
}

export interface EtcdLeaderElectorOptions {
  /** An etcd3 client (or namespace of one); closing it loses leadership within the TTL. */
  readonly client: Namespace;
  /** The leader key, e.g. "/borealis/leader/controller-manager". */
  readonly key: string;
  readonly identity: string;
  /** Lease TTL in whole seconds (default 15). */
  readonly ttlSeconds?: number;
  /** Stop leading when no keepalive succeeded for this long (default 2/3 of the TTL). */
  readonly renewDeadlineMs?: number;
  /** How often candidates retry and leaders re-check the key (default TTL/4). */
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
}

export class EtcdLeaderElector implements LeaderElector {
  readonly identity: string;
  private readonly client: Namespace;
  private readonly key: string;
  private readonly ttl: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly done = new AbortController();
  private current: { token: FencingToken; lease: Lease; end(reason: string): void } | undefined;
  private lastLeader: string | undefined;

  constructor(options: EtcdLeaderElectorOptions) {
    this.client = options.client;
    this.key = options.key;
    this.identity = options.identity;
    this.ttl = Math.max(1, Math.ceil(options.ttlSeconds ?? 15));
    this.renewDeadlineMs = options.renewDeadlineMs ?? (this.ttl * 2000) / 3;
    this.retryPeriodMs = options.retryPeriodMs ?? (this.ttl * 1000) / 4;
    this.clock = options.clock ?? systemClock;
    this.log = componentLogger('runtime', { elector: options.identity, key: options.key });
  }

  run(callbacks: LeaderCallbacks): void {
    void this.loop(callbacks);
  }

  isLeader(): boolean {
    return this.current !== undefined;
  }

  token(): FencingToken | undefined {
    return this.current?.token;
  }

  /** Who leads right now according to etcd (undefined: nobody), for status pages and CLIs. */
  async currentLeader(): Promise<string | undefined> {
    const raw = await this.client.get(this.key).string();
    return raw === null ? undefined : decodeHolder(raw);
  }

  async resign(): Promise<void> {
    this.done.abort();
    const term = this.current;
    if (!term) return;
    term.end('resigned');
    try {
      // Delete only our own term's key, then revoke: the next candidate need not wait for the TTL.
      await this.client
        .if(this.key, 'Create', '==', etcdRevisionOf(term.token.revision))
        .then(this.client.delete().key(this.key))
        .commit();
      await term.lease.revoke();
    } catch (err) {
      this.log.warn({ err }, 'resign could not delete the leader key; it expires with the lease');
    }
  }

  private async loop(cb: LeaderCallbacks): Promise<void> {
    while (!this.done.signal.aborted) {
      const lease = this.client.lease(this.ttl);
      let lost = false;
      lease.on('lost', () => {
        lost = true;
      });
      try {
        const leaseId = await lease.grant();
        const token = await this.acquire(cb, leaseId, () => lost);
        if (token) {
          await this.lead(cb, lease, token);
          continue;
        }
      } catch (err) {
        if (!this.done.signal.aborted) this.log.warn({ err }, 'campaign failed; retrying');
      }
      lease.release();
      await sleep(this.clock, this.retryPeriodMs, this.done.signal);
    }
  }

  /** Try to create the leader key until we do (token) or must start over (undefined / throw). */
  private async acquire(
    cb: LeaderCallbacks,
    leaseId: string,
    lost: () => boolean,
  ): Promise<FencingToken | undefined> {
    while (!this.done.signal.aborted && !lost()) {
      const res = await this.client
        .if(this.key, 'Create', '==', 0)
        .then(this.client.put(this.key).value(encodeHolder(this.identity)).lease(leaseId))
        .else(this.client.get(this.key))
        .commit();
      if (res.succeeded) {
        this.observe(cb, this.identity);
        // In the Store's revision units (the key is written without a position: slot 0), so
        // fencingCheck guards work through EtcdStore.
        const revision = slotRevision(Number(res.header.revision), 0);
        return { identity: this.identity, key: this.key, leaseId, revision };
      }
      const kv = res.responses[0]?.response_range.kvs[0];
      this.observe(cb, kv ? decodeHolder(kv.value.toString('utf8')) : undefined);
      await sleep(this.clock, this.retryPeriodMs, this.done.signal);
    }
    return undefined;
  }

  /** Hold leadership until it ends; resolves after onStoppedLeading has been called. */
  private lead(cb: LeaderCallbacks, lease: Lease, token: FencingToken): Promise<void> {
    return new Promise((resolve) => {
      let lastRenew = this.clock.now();
      let timer: TimerHandle | undefined;
      const onRenew = (): void => {
        lastRenew = this.clock.now();
      };
      const end = (reason: string): void => {
        if (this.current?.token !== token) return;
        this.current = undefined;
        timer?.cancel();
        lease.off('keepaliveSucceeded', onRenew);
        lease.release(); // stop keepalives; a lost term's lease must be left to expire
        this.log.warn({ reason, revision: token.revision }, 'stopped leading');
        this.notify(() => cb.onStoppedLeading(reason));
        resolve();
      };
      this.current = { token, lease, end };
      lease.on('keepaliveSucceeded', onRenew);
      lease.on('lost', () => end('lease lost'));
      const check = (): void => {
        if (this.clock.now() - lastRenew > this.renewDeadlineMs) {
          end('renew deadline exceeded');
          return;
        }
        // Someone deleted or replaced the key (an operator, or a lease expiry we missed).
        this.client
          .get(this.key)
          .exec()
          .then((r) => {
            if (r.kvs[0]?.create_revision !== String(etcdRevisionOf(token.revision))) end('leader key gone');
          })
          .catch(() => {}); // unreachable etcd: the renew deadline decides
        timer = this.clock.setTimeout(check, Math.min(this.retryPeriodMs, this.renewDeadlineMs / 4));
      };
      this.log.info({ revision: token.revision, leaseId: token.leaseId }, 'started leading');
      this.notify(() => cb.onStartedLeading(token));
      if (this.current?.token === token) check();
    });
  }

  private observe(cb: LeaderCallbacks, identity: string | undefined): void {
    if (identity === this.lastLeader) return;
    this.lastLeader = identity;
    this.notify(() => cb.onNewLeader?.(identity));
  }

  /** A throwing callback is logged; it must not break the campaign or hide a loss. */
  private notify(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, 'leader election callback threw');
    }
  }
}
