/**
 * Vitest global setup: one real etcd for the whole run (tests isolate themselves with their own
 * key prefixes), always stopped at the end. Tests read its endpoint with `inject('etcdEndpoint')`.
 * Tests that must stop or restart etcd start their own with startEtcd().
 */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startEtcd } from './etcd.js';

declare module 'vitest' {
  export interface ProvidedContext {
    etcdEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const etcd = await startEtcd();
  project.provide('etcdEndpoint', etcd.endpoint);
  return () => etcd.stop();
}
