/**
 * POST /api/v1/scheduler: status codes and error texts in Mesos's order of checks (recovery,
 * method, content type, parse, validate, accept type, subscribe, framework lookup, connection,
 * stream id), then the call is dispatched. Calls answer 202 (UPDATE_FRAMEWORK 200).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallEnvelope } from '../../mesos/types.js';
import { accept, decline } from '../accept.js';
import { removeFramework, subscribe, updateFramework } from '../frameworks.js';
import { answerInverseOffers } from '../maintenance.js';
import type { Master } from '../master.js';
import type { FrameworkRecord } from '../model.js';
import { kill, reconcile, shutdownExecutor } from '../reconcile.js';
import { acknowledge } from '../task-updates.js';
import { parseCall } from './call-validation.js';
import { acceptsJson, contentTypeProblem, methodNotAllowed, readBody, sendText } from './responses.js';

export async function handleSchedulerCall(
  m: Master,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  if (m.isRecovering()) return sendText(res, 503, 'Master has not finished recovery');
  if (req.method !== 'POST') return methodNotAllowed(res, req.method);
  const typeProblem = contentTypeProblem(req);
  if (typeProblem !== undefined) return sendText(res, typeProblem.status, typeProblem.message);
  const parsed = parseCall(body);
  if (!parsed.ok) return sendText(res, 400, parsed.error);
  const call = parsed.call;
  if (call.type === 'SUBSCRIBE' && !acceptsJson(req)) {
    return sendText(res, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
  }
  const streamId = req.headers['mesos-stream-id'];
  if (call.type === 'SUBSCRIBE') {
    if (streamId !== undefined)
      return sendText(res, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
    subscribe(m, call.subscribe!.framework_info, res, call.subscribe!.suppressed_roles ?? []);
    return;
  }
  const framework = m.frameworks.get(call.framework_id!.value);
  if (framework === undefined) return sendText(res, 400, 'Framework cannot be found');
  if (!framework.connected) return sendText(res, 403, 'Framework is not subscribed');
  if (streamId === undefined) {
    return sendText(res, 400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
  }
  if (streamId !== framework.connection?.streamId) {
    return sendText(
      res,
      400,
      `The stream ID '${String(streamId)}' included in this request didn't match the stream ID currently associated with framework ID ${framework.id}`,
    );
  }
  const status = dispatch(m, framework, call);
  sendText(res, status);
}

/** Run one call for a subscribed framework; returns the HTTP status. */
function dispatch(m: Master, fw: FrameworkRecord, call: CallEnvelope & { type: string }): number {
  switch (call.type) {
    case 'TEARDOWN':
      removeFramework(m, fw);
      return 202;
    case 'ACCEPT':
      accept(m, fw, call.accept!);
      return 202;
    case 'DECLINE':
      decline(m, fw, call.decline!);
      return 202;
    case 'ACCEPT_INVERSE_OFFERS':
      answerInverseOffers(
        m,
        fw.id,
        call.accept_inverse_offers!.inverse_offer_ids ?? [],
        true,
        call.accept_inverse_offers!.filters,
      );
      return 202;
    case 'DECLINE_INVERSE_OFFERS':
      answerInverseOffers(
        m,
        fw.id,
        call.decline_inverse_offers!.inverse_offer_ids ?? [],
        false,
        call.decline_inverse_offers!.filters,
      );
      return 202;
    case 'REVIVE':
      // REVIVE clears every filter and lifts SUPPRESS; offers follow in the next round.
      fw.suppressed = false;
      fw.filters.clear();
      m.reconsiderAllAgents();
      return 202;
    case 'SUPPRESS':
      fw.suppressed = true;
      return 202;
    case 'KILL':
      kill(m, fw, call.kill!);
      return 202;
    case 'ACKNOWLEDGE': {
      const ack = call.acknowledge!;
      acknowledge(m, fw, ack.agent_id.value, ack.task_id.value, ack.uuid);
      return 202;
    }
    case 'RECONCILE':
      reconcile(m, fw, call.reconcile!.tasks ?? []);
      return 202;
    case 'UPDATE_FRAMEWORK':
      updateFramework(
        fw,
        call.update_framework!.framework_info,
        call.update_framework!.suppressed_roles ?? [],
      );
      return 200;
    case 'SHUTDOWN':
      shutdownExecutor(m, fw, call.shutdown!.agent_id.value, call.shutdown!.executor_id.value);
      return 202;
    case 'MESSAGE':
    case 'REQUEST':
    case 'RECONCILE_OPERATIONS':
    case 'ACKNOWLEDGE_OPERATION_STATUS':
      // Accepted and ignored: no executor here reads framework messages, no operations exist.
      return 202;
    default:
      return 501;
  }
}
