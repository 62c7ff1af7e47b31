/**
 * POST /faults/... on the master port, the HTTP face of the programmatic fault API:
 *   /faults/agents/<agentId>/{stop,start,restart,partition,heal}   body {"killTasks": true} for stop
 *   /faults/status-updates                                       body {"drop": n, "delayMs": ms}
 *   /faults/master/restart                                       body {"keepState": bool}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MesosLocalFaults } from '../faults.js';
import { methodNotAllowed, readBody, sendJson, sendText } from './responses.js';

export async function handleFault(
  faults: MesosLocalFaults,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw = await readBody(req);
  if (req.method !== 'POST') return methodNotAllowed(res, req.method);
  let body: Record<string, unknown> = {};
  try {
    if (raw.trim() !== '') body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return sendText(res, 400, 'Body must be JSON');
  }
  try {
    const agent = /^\/faults\/agents\/([^/]+)\/(stop|start|restart|partition|heal)$/.exec(path);
    if (agent !== null) {
      const id = decodeURIComponent(agent[1]!);
      const action = agent[2]!;
      if (action === 'stop') faults.stopAgent(id, { killTasks: body['killTasks'] === true });
      else if (action === 'start') faults.startAgent(id);
      else if (action === 'restart') faults.restartAgent(id);
      else if (action === 'partition') faults.partitionAgent(id);
      else faults.healAgent(id);
    } else if (path === '/faults/status-updates') {
      if (typeof body['drop'] === 'number') faults.dropStatusUpdates(body['drop']);
      if (typeof body['delayMs'] === 'number') faults.delayStatusUpdates(body['delayMs']);
    } else if (path === '/faults/master/restart') {
      faults.restartMaster(typeof body['keepState'] === 'boolean' ? { keepState: body['keepState'] } : {});
    } else {
      return sendText(res, 404, `No fault at ${path}`);
    }
  } catch (err) {
    return sendText(res, 404, (err as Error).message);
  }
  sendJson(res, 200, { ok: true });
}
