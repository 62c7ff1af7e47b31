/**
 * The `api` scenario's load: an open-loop generator (requests leave on a fixed schedule whatever
 * the answers do, so slow answers cannot hide behind fewer requests) over a fixed mix of get,
 * list, server-side apply and status patch, against Jobs over HTTPS with the admin token.
 */
import type { Transport } from '../../pkg/client/http/transport.js';
import { JOBS, resourcePath } from '../../pkg/client/refs.js';

export type ApiOp = 'get' | 'list' | 'apply' | 'statusPatch';

/** One cycle of 20 requests: 8 get, 5 apply, 5 status patch, 2 list (10 %). */
const MIX: readonly ApiOp[] = [
  'get',
  'apply',
  'statusPatch',
  'get',
  'list',
  'get',
  'apply',
  'statusPatch',
  'get',
  'apply',
  'get',
  'statusPatch',
  'get',
  'apply',
  'list',
  'statusPatch',
  'get',
  'apply',
  'get',
  'statusPatch',
];

export interface LoadOptions {
  readonly namespace: string;
  readonly objects: number;
  readonly ratePerSecond: number;
  readonly seconds: number;
  /** Most requests in flight; a request due while this many are out is counted as skipped. */
  readonly maxInFlight: number;
  /** Called with each answered request (diagnostics: loop traces). */
  readonly onAnswer?: (op: ApiOp, sentAt: number, ms: number) => void;
}

export interface LoadResult {
  readonly latencies: Record<ApiOp, number[]>;
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly skipped: number;
  readonly sent: number;
  readonly seconds: number;
}

function request(t: Transport, op: ApiOp, o: LoadOptions, seq: number): Promise<unknown> {
  const name = `job-${seq % o.objects}`;
  switch (op) {
    case 'get':
      return t.drain({ method: 'GET', path: resourcePath(JOBS, o.namespace, name) });
    case 'list':
      return t.drain({ method: 'GET', path: resourcePath(JOBS, o.namespace) });
    case 'apply':
      // Server-side apply of one annotation by one manager: a real change on every request.
      return t.drain({
        method: 'PATCH',
        path: resourcePath(JOBS, o.namespace, name),
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: 'bench-apply', force: true },
        body: {
          apiVersion: 'borealis.dev/v1',
          kind: 'Job',
          metadata: { name, namespace: o.namespace, annotations: { 'bench/seq': String(seq) } },
        },
      });
    case 'statusPatch':
      return t.drain({
        method: 'PATCH',
        path: resourcePath(JOBS, o.namespace, name, 'status'),
        contentType: 'application/merge-patch+json',
        body: { status: { ready: `${seq % 100}/100` } },
      });
  }
}

export function runLoad(t: Transport, o: LoadOptions): Promise<LoadResult> {
  const latencies: Record<ApiOp, number[]> = { get: [], list: [], apply: [], statusPatch: [] };
  const total = Math.round(o.ratePerSecond * o.seconds);
  let sent = 0;
  let skipped = 0;
  let errors = 0;
  let firstError: string | undefined;
  let inFlight = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const finishIfDone = (): void => {
      if (sent + skipped < total || inFlight > 0) return;
      resolve({ latencies, errors, firstError, skipped, sent, seconds: (performance.now() - start) / 1000 });
    };
    const tick = setInterval(() => {
      // Catch up to the schedule: everything due by now leaves now.
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * o.ratePerSecond));
      while (sent + skipped < due) {
        const seq = sent + skipped;
        if (inFlight >= o.maxInFlight) {
          skipped++;
          continue;
        }
        const op = MIX[seq % MIX.length] ?? 'get';
        sent++;
        inFlight++;
        const t0 = performance.now();
        request(t, op, o, seq).then(
          () => {
            latencies[op].push(performance.now() - t0);
            o.onAnswer?.(op, t0, performance.now() - t0);
            inFlight--;
            finishIfDone();
          },
          (err: unknown) => {
            errors++;
            firstError ??= err instanceof Error ? err.message : String(err);
            inFlight--;
            finishIfDone();
          },
        );
      }
      if (sent + skipped >= total) {
        clearInterval(tick);
        finishIfDone();
      }
    }, 5);
  });
}
