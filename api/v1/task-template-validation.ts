/**
 * Cross-field rules of a task template that the schema cannot say (JSON schema cannot express
 * "greater than 0" in the OpenAPI v3.0 dialect ajv understands, "one of the named ports", or
 * "exactly one of limit/values").
 */
import { duplicate, forbidden, invalid, required } from '../field.js';
import type { FieldProblem } from '../kind.js';
import { portEnvName, type TaskTemplate } from './task-template.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Aurora's dedicated constraint value: "<role>/<name>" or "*\/<name>". */
const DEDICATED_VALUE = /^(\*|[\w\-.]+)\/[\w\-.]+$/;

export function validateTaskTemplate(task: TaskTemplate | undefined, path: string): FieldProblem[] {
  if (task === undefined) return [required(path)];
  const problems: FieldProblem[] = [];
  const res = task.resources;
  const rp = `${path}.resources`;
  // Aurora rejects tasks that reserve nothing: cpus, ram and disk must all be positive.
  if (!(res.cpus > 0)) problems.push(invalid(`${rp}.cpus`, res.cpus, 'must be greater than 0'));
  if (!(res.ramMb > 0)) problems.push(invalid(`${rp}.ramMb`, res.ramMb, 'must be greater than 0'));
  if (!(res.diskMb > 0)) problems.push(invalid(`${rp}.diskMb`, res.diskMb, 'must be greater than 0'));

  const ports = res.ports ?? [];
  const seenEnv = new Map<string, string>();
  ports.forEach((port, i) => {
    const env = portEnvName(port);
    const clash = seenEnv.get(env);
    if (clash === port) problems.push(duplicate(`${rp}.ports[${i}]`, port));
    else if (clash !== undefined) {
      problems.push(
        invalid(`${rp}.ports[${i}]`, port, `maps to the same variable ${env} as port "${clash}"`),
      );
    } else seenEnv.set(env, port);
  });

  for (const name of Object.keys(task.env ?? {})) {
    if (!ENV_NAME.test(name)) {
      problems.push(invalid(`${path}.env[${name}]`, name, 'must be a valid environment variable name'));
    } else if (seenEnv.has(name)) {
      problems.push(forbidden(`${path}.env[${name}]`, `${name} is set from the named port`));
    }
  }

  const seenAttr = new Set<string>();
  (task.constraints ?? []).forEach((c, i) => {
    const cp = `${path}.constraints[${i}]`;
    if (typeof c.attribute !== 'string' || c.attribute.trim() === '') {
      problems.push(required(`${cp}.attribute`, 'the host attribute the constraint is about'));
    } else if (seenAttr.has(c.attribute)) {
      problems.push(duplicate(`${cp}.attribute`, c.attribute));
    } else seenAttr.add(c.attribute);
    const hasLimit = c.limit !== undefined;
    const hasValues = c.values !== undefined;
    if (hasLimit && hasValues) {
      problems.push(invalid(cp, { limit: c.limit, values: c.values }, 'may not set both limit and values'));
    } else if (!hasLimit && !hasValues) {
      problems.push(required(cp, 'one of limit or values must be set'));
    }
    if (hasLimit && c.negate !== undefined) {
      problems.push(forbidden(`${cp}.negate`, 'negate applies only to a value constraint'));
    }
    const values = c.values ?? [];
    const seenValue = new Set<string>();
    values.forEach((v, j) => {
      if (seenValue.has(v)) problems.push(duplicate(`${cp}.values[${j}]`, v));
      seenValue.add(v);
      if (c.attribute === 'dedicated' && !DEDICATED_VALUE.test(v)) {
        problems.push(
          invalid(`${cp}.values[${j}]`, v, 'a dedicated value must be "<role>/<name>" or "*/<name>"'),
        );
      }
    });
  });

  const hc = task.healthCheck;
  if (hc !== undefined) {
    const hp = `${path}.healthCheck`;
    if (hc.http !== undefined && hc.shell !== undefined) {
      problems.push(forbidden(hp, 'may not set both http and shell'));
    } else if (hc.http === undefined && hc.shell === undefined) {
      problems.push(required(hp, 'one of http or shell must be set'));
    }
    if (hc.http !== undefined && !ports.includes(hc.http.port)) {
      const known = ports.length === 0 ? 'the task declares no ports' : `declared: ${ports.join(', ')}`;
      problems.push(
        invalid(`${hp}.http.port`, hc.http.port, `must be one of the ports in ${rp}.ports (${known})`),
      );
    }
    if (hc.timeoutSeconds > hc.intervalSeconds) {
      problems.push(invalid(`${hp}.timeoutSeconds`, hc.timeoutSeconds, 'must not exceed intervalSeconds'));
    }
  }

  const mounts = new Set<string>();
  (task.container?.volumes ?? []).forEach((v, i) => {
    if (mounts.has(v.containerPath)) {
      problems.push(duplicate(`${path}.container.volumes[${i}].containerPath`, v.containerPath));
    }
    mounts.add(v.containerPath);
  });
  return problems;
}
