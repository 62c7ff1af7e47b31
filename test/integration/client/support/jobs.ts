/** Jobs as a controller author writes them, and a watch recorder with deadlines. */
import type { ResourceClient, WatchEventType, WatchStream } from '../../../../pkg/client/types.js';

export interface Job {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    generation?: number;
    labels?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
  };
  spec: {
    environment: string;
    instances: number;
    tier?: string;
    task: { command: string; resources: { cpus: number; ramMb: number; diskMb: number } };
  };
  status?: { observedGeneration?: number };
}

export function job(name: string, labels: Record<string, string> = {}, instances = 1): Job {
  return {
    apiVersion: 'borealis.dev/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', labels },
    spec: {
      environment: 'prod',
      instances,
      task: { command: 'sleep 1', resources: { cpus: 0.1, ramMb: 16, diskMb: 16 } },
    },
  };
}

export interface Recorder {
  readonly events: string[];
  /** Resolves once `count` non-BOOKMARK events arrived; rejects on watch error or after 5 s. */
  until(count: number): Promise<string[]>;
  /** Resolves with the error that ended the watch (rejects after 5 s). */
  error(): Promise<Error>;
  /** The error that ended the watch, if it has ended. */
  failure(): Error | undefined;
  readonly stream: WatchStream;
}

export function record(
  jobs: ResourceClient<Job>,
  resourceVersion: string,
  opts: { labelSelector?: string } = {},
): Recorder {
  const events: string[] = [];
  let failure: Error | undefined;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  const stream = jobs.watch(
    'default',
    resourceVersion,
    {
      onEvent(type: WatchEventType, obj: Job) {
        if (type === 'BOOKMARK') return;
        events.push(`${type}:${obj.metadata.name}:${obj.spec.instances}`);
        wake();
      },
      onError(err) {
        failure = err;
        wake();
      },
    },
    opts,
  );
  const wait = <R>(ready: () => R | undefined, what: string): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      const check = () => {
        let r: R | undefined;
        try {
          r = ready();
        } catch (err) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(err);
          return;
        }
        if (r === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(r);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; saw ${events.join(', ')}`));
      }, 5000);
      waiters.add(check);
      check();
    });
  return {
    events,
    stream,
    until: (count) =>
      wait(() => {
        if (failure && events.length < count) throw failure;
        return events.length >= count ? events.slice() : undefined;
      }, `${count} events`),
    error: () => wait(() => failure, 'the watch to end'),
    failure: () => failure,
  };
}
