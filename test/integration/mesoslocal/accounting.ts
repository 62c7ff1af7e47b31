/**
 * The resource books a master must keep balanced, checked from tests after every scenario.
 */
/** What a master's books must always satisfy: every agent's free + used + offered = total. */
export function accountingErrors(
  agents: Iterable<{ id: string; free: Res; used: Res; offered: Res; total: Res }>,
): string[] {
  const errors: string[] = [];
  for (const a of agents) {
    for (const key of ['cpus', 'mem', 'disk', 'gpus', 'revocableCpus'] as const) {
      const sum = a.free[key] + a.used[key] + a.offered[key];
      if (Math.abs(sum - a.total[key]) > 1e-6) errors.push(`${a.id} ${key}: ${sum} != ${a.total[key]}`);
    }
    const ports = [...a.free.ports, ...a.used.ports, ...a.offered.ports].reduce(
      (n, r) => n + r.end - r.begin + 1,
      0,
    );
    const total = a.total.ports.reduce((n, r) => n + r.end - r.begin + 1, 0);
    if (ports !== total) errors.push(`${a.id} ports: ${ports} != ${total}`);
  }
  return errors;
}

interface Res {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
  readonly revocableCpus: number;
  readonly ports: readonly { begin: number; end: number }[];
}
