/** Waiting for a freshly started cluster to be quiet, so start-up writes do not count as launch work. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Host } from '../../api/v1/host.js';
import { HOSTS } from '../../pkg/client/refs.js';
import type { BorealisClient } from '../../pkg/client/types.js';
import type { Child } from './spawn.js';
import { storeRevision } from './workload.js';

/** Count objects of a kind by paging through it (pages of 5,000 keep each response small). */
export async function countHosts(client: BorealisClient): Promise<number> {
  let n = 0;
  let token: string | undefined;
  do {
    const page = await client.resource<Host>(HOSTS).list(undefined, {
      limit: 5000,
      ...(token ? { continue: token } : {}),
    });
    n += page.items.length;
    token = page.continue;
  } while (token);
  return n;
}

/**
 * Wait until the controllers are subscribed, every agent is a Host object, and the store's
 * revision has not moved for `quietMs` (the hosts controller writes each Host twice at start).
 */
export async function waitForQuietCluster(
  client: BorealisClient,
  controllers: Child,
  agents: number,
  timeoutMs: number,
  quietMs = 1000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  await controllers.waitFor(/subscribed to Mesos/, timeoutMs);
  while ((await countHosts(client)) < agents) {
    if (Date.now() > deadline) throw new Error(`fewer than ${agents} Hosts after ${timeoutMs} ms`);
    await sleep(500);
  }
  let revision = await storeRevision(client);
  for (;;) {
    await sleep(quietMs);
    const now = await storeRevision(client);
    if (now === revision) return now;
    if (Date.now() > deadline) throw new Error(`store still busy after ${timeoutMs} ms`);
    revision = now;
  }
}
