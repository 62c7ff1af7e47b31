/** The Mesos task id of a Task object, and the Task key a Mesos task id names. */
import type { Task } from '../../api/v1/task.js';
import { mesosTaskId, parseMesosTaskId, taskObjectName } from '../../pkg/taskstate/index.js';

export function mesosIdOfTask(task: Task): string {
  const name = task.metadata.name ?? '';
  return mesosTaskId({
    role: task.metadata.namespace ?? '',
    environment: task.spec.environment,
    job: task.spec.jobName,
    instance: task.spec.instance,
    revision: task.spec.templateRevision,
    suffix: name.slice(name.lastIndexOf('-') + 1),
  });
}

/** `<namespace>/<name>` of the Task a Mesos task id belongs to, or undefined if not Borealis's. */
export function taskKeyOfMesosId(id: string): { namespace: string; name: string; key: string } | undefined {
  const parsed = parseMesosTaskId(id);
  if (!parsed) return undefined;
  const name = taskObjectName(parsed);
  return { namespace: parsed.role, name, key: `${parsed.role}/${name}` };
}
