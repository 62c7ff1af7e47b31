/**
 * Prometheus metrics of the API server: request counts and latency by verb, resource and code.
 * Each server has its own registry so several servers can run in one process (tests).
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

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

  constructor(withProcessMetrics: boolean) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry });
  }

  observe(verb: string, resource: string, code: number, seconds: number): void {
    this.requests.inc({ verb, resource, code: String(code) });
    if (verb !== 'watch') this.latency.observe({ verb, resource }, seconds);
  }
}
