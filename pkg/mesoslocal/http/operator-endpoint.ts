/**
 * POST /api/v1, the operator API subset Borealis uses. GET_* answer 200 with JSON; the
 * maintenance and drain calls answer 200 with an empty body (the Mesos docs say 202; the master
 * says 200). Invalid requests get 400 with Mesos-style text.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperatorCallEnvelope } from '../../mesos/types.js';
import { drainAgent } from '../drain.js';
import { maintenanceStatus, startMaintenance, stopMaintenance, updateSchedule } from '../maintenance.js';
import type { Master } from '../master.js';
import { agentView, allTasks } from './operator-views.js';
import { contentTypeProblem, methodNotAllowed, readBody, sendJson, sendText } from './responses.js';

export async function handleOperatorCall(
  m: Master,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  if (m.isRecovering()) return sendText(res, 503, 'Master has not finished recovery');
  if (req.method !== 'POST') return methodNotAllowed(res, req.method);
  const typeProblem = contentTypeProblem(req);
  if (typeProblem !== undefined) return sendText(res, typeProblem.status, typeProblem.message);
  let call: OperatorCallEnvelope;
  try {
    call = JSON.parse(body) as OperatorCallEnvelope;
  } catch (err) {
    return sendText(res, 400, `Failed to parse body into JSON: ${(err as Error).message}`);
  }
  if (typeof call !== 'object' || call === null || call.type === undefined) {
    return sendText(res, 400, "Failed to validate master::Call: Expecting 'type' to be present");
  }
  const missing = (field: string) =>
    sendText(res, 400, `Failed to validate master::Call: Expecting '${field}' to be present`);
  switch (call.type) {
    case 'GET_AGENTS': {
      // Like Mesos: registered agents only (unreachable and removed ones are not listed); agents
      // not yet back after a state-losing restart are the recovered ones.
      const registered = [...m.agents.values()].filter((a) => a.status === 'registered');
      const agents = registered.filter((a) => !m.recoveringAgents.has(a.id)).map((a) => agentView(a));
      const recovered = registered
        .filter((a) => m.recoveringAgents.has(a.id))
        .map((a) => agentView(a).agent_info);
      return sendJson(res, 200, { type: 'GET_AGENTS', get_agents: { agents, recovered_agents: recovered } });
    }
    case 'GET_TASKS': {
      const { tasks, unreachable, completed } = allTasks(m);
      return sendJson(res, 200, {
        type: 'GET_TASKS',
        get_tasks: {
          tasks,
          unreachable_tasks: unreachable,
          completed_tasks: completed,
          pending_tasks: [],
          orphan_tasks: [],
        },
      });
    }
    case 'GET_MAINTENANCE_SCHEDULE':
      return sendJson(res, 200, {
        type: 'GET_MAINTENANCE_SCHEDULE',
        get_maintenance_schedule: { schedule: { windows: m.maintenance.windows } },
      });
    case 'GET_MAINTENANCE_STATUS':
      return sendJson(res, 200, {
        type: 'GET_MAINTENANCE_STATUS',
        get_maintenance_status: { status: maintenanceStatus(m) },
      });
    case 'UPDATE_MAINTENANCE_SCHEDULE': {
      const schedule = call.update_maintenance_schedule?.schedule;
      if (schedule === undefined) return missing('update_maintenance_schedule');
      return answer(res, updateSchedule(m, schedule));
    }
    case 'START_MAINTENANCE': {
      if (call.start_maintenance === undefined) return missing('start_maintenance');
      return answer(res, startMaintenance(m, call.start_maintenance.machines ?? []));
    }
    case 'STOP_MAINTENANCE': {
      if (call.stop_maintenance === undefined) return missing('stop_maintenance');
      return answer(res, stopMaintenance(m, call.stop_maintenance.machines ?? []));
    }
    case 'DRAIN_AGENT': {
      const drain = call.drain_agent;
      if (drain === undefined) return missing('drain_agent');
      if (drain.agent_id?.value === undefined) return missing('drain_agent.agent_id');
      const grace = drain.max_grace_period?.seconds;
      return answer(
        res,
        drainAgent(
          m,
          drain.agent_id.value,
          grace === undefined ? undefined : Number(grace),
          drain.mark_gone === true,
        ),
      );
    }
    default:
      return sendText(res, 501, `mesos-local does not implement operator call '${String(call.type)}'`);
  }
}

function answer(res: ServerResponse, error: string | undefined): void {
  if (error === undefined) sendText(res, 200);
  else sendText(res, 400, error);
}
