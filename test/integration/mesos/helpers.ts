/** Shared bits for the Mesos client tests: a client wired to fake masters, and event waiting. */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackoffOptions } from '../../../pkg/mesos/backoff.js';
import { buildFrameworkInfo } from '../../../pkg/mesos/scheduler-calls.js';
import { MesosSchedulerClient, type SchedulerClientOptions } from '../../../pkg/mesos/scheduler-client.js';
import type { SchedulerClientEvents } from '../../../pkg/mesos/scheduler-client-events.js';

export const FRAMEWORK_INFO = buildFrameworkInfo({
  name: 'client-test',
  user: 'nobody',
  roles: ['www'],
  failoverTimeoutSeconds: 60,
});

/** Fast, deterministic backoff for tests: 20 ms, 40 ms, ... capped at 200 ms, no jitter. */
export const FAST_BACKOFF: BackoffOptions = { initialMs: 20, maxMs: 200, jitter: 0 };

export function newClient(
  masters: string | string[],
  extra: Partial<SchedulerClientOptions> = {},
): MesosSchedulerClient {
  return new MesosSchedulerClient({
    masters,
    frameworkInfo: FRAMEWORK_INFO,
    backoff: FAST_BACKOFF,
    ...extra,
  });
}

/** The arguments of the next `name` event the client emits. */
export async function next<K extends keyof SchedulerClientEvents>(
  client: MesosSchedulerClient,
  name: K,
  timeoutMs = 5000,
): Promise<SchedulerClientEvents[K]> {
  const args = await once(client as never, name as string, { signal: AbortSignal.timeout(timeoutMs) });
  return args as SchedulerClientEvents[K];
}

/** Poll until `condition` holds (for state that changes without an event to wait on). */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}
