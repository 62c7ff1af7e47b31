import type { HostOffer, TaskDemand } from '../../../pkg/scheduling/types.js';

export function host(
  name: string,
  over: Partial<HostOffer> & { cpus?: number; ramMb?: number } = {},
): HostOffer {
  const { cpus = 4, ramMb = 8192, ...rest } = over;
  return {
    hostname: name,
    agentId: `agent-${name}`,
    offerIds: [`offer-${name}`],
    attributes: { host: [name], rack: ['r1'] },
    free: { cpus, revocableCpus: 0, ramMb, diskMb: 20_000, gpus: 0, ports: [{ begin: 31000, end: 31009 }] },
    mode: 'None',
    ...rest,
  };
}

export function task(name: string, over: Partial<TaskDemand> = {}): TaskDemand {
  return {
    name,
    jobKey: 'www-data/prod/hello',
    role: 'www-data',
    tier: 'preferred',
    priority: 0,
    cpus: 1,
    ramMb: 128,
    diskMb: 64,
    gpus: 0,
    ports: ['http'],
    constraints: [],
    ...over,
  };
}
