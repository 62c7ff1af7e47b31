/**
 * Prometheus metrics of the API server: request counts and latency by verb, resource and code.
 * Each server has its own registry so several servers can run in one process (tests).
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { StoreStats } from '../storage/types.js';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'borealis_apiserver_requests_total',
    help: 'API requests by verb, resource and HTTP code.',
    labelNames: ['verb', 'resource', 'code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'borealis_apiserver_request_duration_seconds',
    help: 'API request latency by verb and resource (watches excluded: they last as long as the client wants).',
    labelNames: ['verb', 'resource'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(withProcessMetrics: boolean, storeStats?: () => StoreStats) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry });
    if (storeStats) this.exposeStore(storeStats);
  }

  /** The store's own counters, read when scraped (transactions vs writes shows group commit at work). */
  private exposeStore(storeStats: () => StoreStats): void {
    const counter = (name: string, help: string, read: (s: StoreStats) => number): void => {
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read(storeStats()));
        },
      });
    };
    counter(
      'borealis_storage_transactions_total',
      'Store transactions committed by this server.',
      (s) => s.transactions,
    );
    counter(
      'borealis_storage_writes_total',
      'Keys created, updated or deleted by those transactions.',
      (s) => s.writes,
    );
  }

  observe(verb: string, resource: string, code: number, seconds: number): void {
    this.requests.inc({ verb, resource, code: String(code) });
    if (verb !== 'watch') this.latency.observe({ verb, resource }, seconds);
  }
}
