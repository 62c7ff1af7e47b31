/**
 * The master's HTTP server (node:http, for exact control over chunked streaming and headers).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MesosLocalFaults } from '../faults.js';
import type { Master } from '../master.js';
import { handleFault } from './faults-endpoint.js';
import { handleOperatorCall } from './operator-endpoint.js';
import { masterState } from './operator-views.js';
import { methodNotAllowed, sendJson, sendText } from './responses.js';
import { handleSchedulerCall } from './scheduler-endpoint.js';

async function route(
  m: Master,
  faults: MesosLocalFaults,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/api/v1/scheduler') return handleSchedulerCall(m, req, res);
  if (path === '/api/v1') return handleOperatorCall(m, req, res);
  if (path.startsWith('/faults/')) return handleFault(faults, path, req, res);
  if (path === '/master/state' || path === '/state' || path === '/master/state.json') {
    if (req.method !== 'GET') return methodNotAllowed(res, req.method, 'GET');
    return sendJson(res, 200, masterState(m));
  }
  if (path === '/health' || path === '/master/health') return sendText(res, 200);
  sendText(res, 404);
}

export function createMasterServer(m: Master, faults: MesosLocalFaults): Server {
  const server = createServer((req, res) => {
    route(m, faults, req, res).catch((err: unknown) => {
      m.log.error({ err }, 'request failed');
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.end();
    });
  });
  // Event streams stay open for as long as the scheduler wants; Node must not time them out.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  return server;
}
