/**
 * Task identity. A Mesos task id carries everything needed to rebuild Borealis's view from Mesos
 * alone: role (namespace), environment, job, instance, template revision and a unique suffix.
 * Parts are joined with "__": Kubernetes names, namespaces and Aurora environments never contain
 * "_", so the id parses back unambiguously.
 *
 * The Task object is named `<job>-<instance>-<suffix>` in the role's namespace (short enough for
 * `kubectl get tasks`, unique per run).
 */
import { createHash } from 'node:crypto';

export interface TaskIdentity {
  readonly role: string;
  readonly environment: string;
  readonly job: string;
  readonly instance: number;
  readonly revision: number;
  /** Unique per task run: lower-case letters and digits. */
  readonly suffix: string;
}

const SEP = '__';
const SUFFIX = /^[a-z0-9]{5,16}$/;

export function taskObjectName(id: Pick<TaskIdentity, 'job' | 'instance' | 'suffix'>): string {
  return `${id.job}-${id.instance}-${id.suffix}`;
}

export function mesosTaskId(id: TaskIdentity): string {
  return [id.role, id.environment, id.job, String(id.instance), String(id.revision), id.suffix].join(SEP);
}

/** The identity in a Mesos task id, or undefined when the id was not made by Borealis. */
export function parseMesosTaskId(value: string): TaskIdentity | undefined {
  const parts = value.split(SEP);
  if (parts.length !== 6) return undefined;
  const [role, environment, job, instance, revision, suffix] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (
    !role ||
    !environment ||
    !job ||
    !/^\d+$/.test(instance) ||
    !/^\d+$/.test(revision) ||
    !SUFFIX.test(suffix)
  ) {
    return undefined;
  }
  return { role, environment, job, instance: Number(instance), revision: Number(revision), suffix };
}

/** A random suffix (5 characters of [a-z0-9]) from an injected random source. */
export function randomSuffix(random: () => number = Math.random): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[Math.floor(random() * alphabet.length) % alphabet.length];
  return s;
}

/**
 * A suffix derived from what makes a task run unique (its job's uid, instance and the run it
 * replaces). The same logical run always gets the same name, so a create repeated from a stale
 * cache fails with AlreadyExists instead of starting a duplicate.
 */
export function runSuffix(jobUid: string, instance: number, ancestor: string | undefined): string {
  const digest = createHash('sha256')
    .update(`${jobUid}/${instance}/${ancestor ?? '-'}`)
    .digest();
  return BigInt(`0x${digest.subarray(0, 8).toString('hex')}`)
    .toString(36)
    .padStart(5, '0')
    .slice(-5);
}
