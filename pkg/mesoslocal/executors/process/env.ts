/**
 * The environment a task's command (and its COMMAND health check) sees: the agent's own
 * environment (so PATH and HOME work as on the command line), then the task's
 * CommandInfo.environment, then what the executor assigns. Assigned values win so that PORT0
 * always names the port the task really got.
 */
import type { ExecutorTaskSpec } from '../types.js';

/** "http-admin" → "HTTP_ADMIN": the suffix of PORT_<NAME>. */
export function portEnvName(name: string): string {
  return `PORT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function taskEnvironment(
  spec: ExecutorTaskSpec,
  base: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, spec.env);
  spec.ports.forEach((port, i) => {
    env[`PORT${i}`] = String(port.number);
    if (port.name) env[portEnvName(port.name)] = String(port.number);
  });
  const first = spec.ports[0];
  // Marathon's convention, which many images expect.
  if (first !== undefined) env['PORT'] = String(first.number);
  env['PORTS'] = spec.ports.map((p) => p.number).join(',');
  env['MESOS_TASK_ID'] = spec.taskId;
  env['MESOS_SANDBOX'] = spec.sandboxDir;
  env['MESOS_AGENT_ID'] = spec.agentId;
  env['HOST'] = spec.hostname;
  return env;
}
