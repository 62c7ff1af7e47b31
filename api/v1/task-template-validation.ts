/**
 * Cross-field rules of a task template that the schema cannot say (JSON schema cannot express
 * "greater than 0" in the OpenAPI v3.0 dialect ajv understands, "one of the named ports", or
 * "exactly one of limit/values").
 */
import { forbidden, invalid, required } from '../field.js';
import type { ApiObject, FieldProblem } from '../kind.js';
import { type Constraint, portEnvName, type TaskTemplate } from './task-template.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Aurora's dedicated constraint value: "<role>/<name>" or "*\/<name>". */
const DEDICATED_VALUE = /^(\*|[\w\-.]+)\/[\w\-.]+$/;

/**
 * `role` is the namespace of the object holding the template; a dedicated constraint may name
 * only that role's hosts (or shared "*" ones).
 */
export function validateTaskTemplate(
  task: TaskTemplate | undefined,
  path: string,
  role?: string,
): FieldProblem[] {
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
    // An exact repeat is reported by the generic list-type (set) check.
    if (clash !== undefined && clash !== port) {
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

  (task.constraints ?? []).forEach((c, i) => {
    problems.push(...validateConstraint(c, `${path}.constraints[${i}]`, role));
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
  return problems;
}

function validateConstraint(c: Constraint, cp: string, role: string | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof c.attribute !== 'string' || c.attribute.trim() === '') {
    problems.push(required(`${cp}.attribute`, 'the host attribute the constraint is about'));
  }
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
  if (c.attribute !== 'dedicated') return problems;
  // Aurora's dedicated rules: one non-negated value naming this role's (or shared) hosts.
  if (hasLimit) problems.push(forbidden(`${cp}.limit`, 'a dedicated constraint must be a value constraint'));
  if (c.negate === true) problems.push(forbidden(`${cp}.negate`, 'a dedicated constraint cannot be negated'));
  const values = c.values ?? [];
  if (hasValues && values.length !== 1) {
    problems.push(invalid(`${cp}.values`, values, 'a dedicated constraint must have exactly one value'));
  }
  values.forEach((v, j) => {
    const owner = v.split('/')[0];
    if (!DEDICATED_VALUE.test(v)) {
      problems.push(
        invalid(`${cp}.values[${j}]`, v, 'a dedicated value must be "<role>/<name>" or "*/<name>"'),
      );
    } else if (role !== undefined && owner !== '*' && owner !== role) {
      problems.push(invalid(`${cp}.values[${j}]`, v, `only role ${role} (this namespace) or * may be named`));
    }
  });
  return problems;
}

/** The namespace (Aurora role) of an object, if set. */
export function namespaceOf(o: ApiObject): string | undefined {
  const ns = o.metadata?.['namespace'];
  return typeof ns === 'string' ? ns : undefined;
}
