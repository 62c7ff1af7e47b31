/**
 * MesosOperatorClient: the master's operator API (`POST /api/v1`, JSON) for what a service
 * scheduler needs beyond the scheduler API: listing agents and tasks, maintenance schedules and
 * status, starting and stopping maintenance, and draining agents.
 *
 * Each call goes to the configured masters in turn until one answers; a non-leading master's 307
 * is followed to the leader. Non-2xx answers are MesosHttpError with the master's text.
 */
import http from 'node:http';
import { componentLogger, type Logger } from '../log/index.js';
import { freezeSharing } from '../runtime/shared-json.js';
import { endpointUrl, OPERATOR_API_PATH } from './endpoints.js';
import { MesosCallRejected, MesosConnectionError, MesosHttpError, MesosProtocolError } from './errors.js';
import { postForAnswer, type WholeAnswer } from './http-transport.js';
import { type IdLike, toId } from './scheduler-calls.js';
import type {
  AgentInfo,
  MachineID,
  MaintenanceClusterStatus,
  MaintenanceSchedule,
  OperatorAgent,
  OperatorCall,
  OperatorResponseGetAgents,
  OperatorResponseGetTasks,
  Task,
} from './types.js';

export interface OperatorClientOptions {
  /** Master address(es): "host:5050", "http://host:5050" or a full endpoint URL. */
  readonly masters: string | readonly string[];
  /** Time allowed for one answer (default 30 s). */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
}

export interface AgentList {
  readonly agents: readonly OperatorAgent[];
  readonly recovered_agents: readonly AgentInfo[];
}

export interface TaskList {
  /** Tasks not in a terminal state (includes those on agents being drained). */
  readonly tasks: Task[];
  /** Tasks on agents the master cannot reach (PARTITION_AWARE). */
  readonly unreachable_tasks: Task[];
  /** Terminal tasks the master still remembers. */
  readonly completed_tasks: Task[];
}

export interface DrainAgentOptions {
  /** Longest kill grace period any task on the agent gets (default: each task's own). */
  readonly maxGracePeriodSeconds?: number;
  /** Mark the agent gone once drained (it can never re-register). */
  readonly markGone?: boolean;
}

export class MesosOperatorClient {
  private readonly masters: readonly URL[];
  private readonly log: Logger;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  /** Index of the master that answered last; tried first next time. */
  private preferred = 0;
  /** The last GET_AGENTS answer and its decoding, handed out again while the answer is unchanged. */
  private lastAgents: { readonly text: string; readonly list: AgentList } | undefined;

  constructor(private readonly options: OperatorClientOptions) {
    const masters = typeof options.masters === 'string' ? [options.masters] : options.masters;
    if (masters.length === 0) throw new MesosCallRejected('at least one Mesos master address is required');
    this.masters = masters.map((m) => endpointUrl(m, OPERATOR_API_PATH));
    this.log = options.logger ?? componentLogger('mesos-client', { api: 'operator' });
  }

  /**
   * Registered agents (and, after a master failover, agents not yet re-registered), deep-frozen.
   * An answer identical to the last one is not decoded again: the same frozen list comes back.
   * Polled every 10 s, 10,000 agents are ≈ 10 MB of JSON that rarely changes once offers are
   * suppressed; decoding it took ≈ 1 % of a core in an idle scheduler, as much as planning Hosts.
   */
  async getAgents(): Promise<AgentList> {
    const call: OperatorCall = { type: 'GET_AGENTS' };
    const answer = await this.send(call);
    if (this.lastAgents?.text === answer.body) return this.lastAgents.list;
    const body = fieldOf(call, answer.body, 'get_agents') as OperatorResponseGetAgents;
    const list = freezeSharing({ agents: body.agents ?? [], recovered_agents: body.recovered_agents ?? [] });
    this.lastAgents = { text: answer.body, list };
    return list;
  }

  /** Every task the master knows, by list (empty lists filled in). */
  async getTasks(): Promise<TaskList> {
    const body = (await this.query({ type: 'GET_TASKS' }, 'get_tasks')) as OperatorResponseGetTasks;
    return {
      tasks: body.tasks ?? [],
      unreachable_tasks: body.unreachable_tasks ?? [],
      completed_tasks: body.completed_tasks ?? [],
    };
  }

  async getMaintenanceSchedule(): Promise<MaintenanceSchedule> {
    const body = await this.query({ type: 'GET_MAINTENANCE_SCHEDULE' }, 'get_maintenance_schedule');
    const schedule = (body['schedule'] ?? {}) as Partial<MaintenanceSchedule>;
    return { windows: schedule.windows ?? [] };
  }

  async getMaintenanceStatus(): Promise<Required<MaintenanceClusterStatus>> {
    const body = await this.query({ type: 'GET_MAINTENANCE_STATUS' }, 'get_maintenance_status');
    const status = (body['status'] ?? {}) as MaintenanceClusterStatus;
    return { draining_machines: status.draining_machines ?? [], down_machines: status.down_machines ?? [] };
  }

  /** Replace the whole maintenance schedule (machines in it become DRAINING). */
  async updateMaintenanceSchedule(schedule: MaintenanceSchedule): Promise<void> {
    await this.send({ type: 'UPDATE_MAINTENANCE_SCHEDULE', update_maintenance_schedule: { schedule } });
  }

  /** Take DRAINING machines DOWN (their agents are removed and their tasks lost). */
  async startMaintenance(machines: readonly MachineID[]): Promise<void> {
    await this.send({ type: 'START_MAINTENANCE', start_maintenance: { machines: [...machines] } });
  }

  /** Bring DOWN machines back UP. */
  async stopMaintenance(machines: readonly MachineID[]): Promise<void> {
    await this.send({ type: 'STOP_MAINTENANCE', stop_maintenance: { machines: [...machines] } });
  }

  /** Kill every task on an agent and stop offering it (REASON_AGENT_DRAINING). */
  async drainAgent(agentId: IdLike, options: DrainAgentOptions = {}): Promise<void> {
    const drain_agent: Extract<OperatorCall, { type: 'DRAIN_AGENT' }>['drain_agent'] = {
      agent_id: toId(agentId),
    };
    if (options.maxGracePeriodSeconds !== undefined) {
      const seconds = Math.floor(options.maxGracePeriodSeconds);
      const nanos = Math.round((options.maxGracePeriodSeconds - seconds) * 1e9);
      drain_agent.max_grace_period = nanos === 0 ? { seconds } : { seconds, nanos };
    }
    if (options.markGone !== undefined) drain_agent.mark_gone = options.markGone;
    await this.send({ type: 'DRAIN_AGENT', drain_agent });
  }

  /** Release pooled connections. */
  close(): void {
    this.agent.destroy();
  }

  /** Send a call whose answer carries a body named `field`; returns that body. */
  private async query(call: OperatorCall, field: string): Promise<Record<string, unknown>> {
    return fieldOf(call, (await this.send(call)).body, field);
  }

  /** POST a call to the first master that answers; non-2xx answers throw MesosHttpError. */
  private async send(call: OperatorCall): Promise<WholeAnswer> {
    const payload = JSON.stringify(call);
    let lastError: unknown;
    for (let i = 0; i < this.masters.length; i++) {
      const index = (this.preferred + i) % this.masters.length;
      const url = this.masters[index]!;
      let answer: WholeAnswer;
      try {
        answer = await postForAnswer(url, payload, {
          timeoutMs: this.options.timeoutMs ?? 30_000,
          agent: url.protocol === 'http:' ? this.agent : undefined,
          ...(this.options.headers ? { headers: this.options.headers } : {}),
        });
      } catch (err) {
        if (!(err instanceof MesosConnectionError)) throw err;
        this.log.warn({ err, url: url.href, call: call.type }, 'master unreachable; trying the next one');
        lastError = err;
        continue;
      }
      this.preferred = index;
      if (answer.status < 200 || answer.status > 299) {
        throw new MesosHttpError(call.type, answer.url.href, answer.status, answer.body);
      }
      return answer;
    }
    throw lastError;
  }
}

/** The body named `field` in an answer's JSON text; MesosProtocolError when it is not there. */
function fieldOf(call: OperatorCall, text: string, field: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new MesosProtocolError(`answer to ${call.type} is not JSON: ${text.slice(0, 120)}`, err);
  }
  const body =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
  if (typeof body !== 'object' || body === null) {
    throw new MesosProtocolError(`answer to ${call.type} has no "${field}": ${text.slice(0, 120)}`);
  }
  return body as Record<string, unknown>;
}
