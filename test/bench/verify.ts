/** What really runs, read from both sides: Tasks through the API, tasks the Mesos master knows. */
import type { Task } from '../../api/v1/task.js';
import { TASKS } from '../../pkg/client/refs.js';
import type { BorealisClient } from '../../pkg/client/types.js';
import { MesosOperatorClient } from '../../pkg/mesos/index.js';

/** Every Task of `namespace` (paged) as name → phase. */
export async function taskPhases(client: BorealisClient, namespace: string): Promise<Map<string, string>> {
  const phases = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.resource<Task>(TASKS).list(namespace, {
      limit: 5000,
      ...(token ? { continue: token } : {}),
    });
    for (const t of page.items) phases.set(t.metadata.name ?? '', t.status?.phase ?? 'none');
    token = page.continue;
  } while (token);
  return phases;
}

export interface MesosTasks {
  /** Ids of tasks the master holds as live. */
  readonly live: ReadonlySet<string>;
  /** How many terminal tasks it remembers (a relaunch kills or loses the old one). */
  readonly completed: number;
}

export async function mesosTasks(masterUrl: string): Promise<MesosTasks> {
  const operator = new MesosOperatorClient({ masters: masterUrl });
  try {
    const list = await operator.getTasks();
    return {
      live: new Set(list.tasks.map((t) => t.task_id.value)),
      completed: list.completed_tasks.length,
    };
  } finally {
    await operator.close();
  }
}

/** Names in `before` missing from `after`, and names in `after` not in `before`. */
export function setDifference(
  before: Iterable<string>,
  after: ReadonlySet<string>,
): { missing: number; added: number } {
  const was = new Set(before);
  let missing = 0;
  for (const n of was) if (!after.has(n)) missing++;
  let added = 0;
  for (const n of after) if (!was.has(n)) added++;
  return { missing, added };
}
