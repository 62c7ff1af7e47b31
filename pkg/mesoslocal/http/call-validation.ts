/**
 * Turning a JSON body into a scheduler Call the way Mesos does: first the JSON-to-protobuf
 * conversion, which rejects a call missing any field the proto marks `required` ("Missing
 * required fields: ..."), then scheduler::call::validate (sub-message present, framework_id
 * present, a 16-byte uuid in ACKNOWLEDGE...). Either failure is a 400 with Mesos's text.
 */
import type { CallEnvelope } from '../../mesos/types.js';
import { isValidUpdateUuid } from '../ids.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields each message requires, by path pattern; `[]` marks repeated fields. */
function missingRequired(call: Json): string[] {
  const missing: string[] = [];
  const need = (obj: unknown, path: string, fields: readonly string[]): void => {
    if (!isObject(obj)) return;
    for (const f of fields) if (obj[f] === undefined || obj[f] === null) missing.push(`${path}${f}`);
  };
  const id = (obj: unknown, path: string): void => {
    if (isObject(obj)) need(obj, `${path}.`, ['value']);
  };
  const each = (list: unknown, fn: (item: unknown, i: number) => void): void => {
    if (Array.isArray(list)) list.forEach(fn);
  };
  id(call['framework_id'], 'framework_id');
  const sub = call['subscribe'];
  if (isObject(sub)) {
    need(sub, 'subscribe.', ['framework_info']);
    need(sub['framework_info'], 'subscribe.framework_info.', ['user', 'name']);
  }
  const accept = call['accept'];
  if (isObject(accept)) {
    each(accept['offer_ids'], (o, i) => id(o, `accept.offer_ids[${i}]`));
    each(accept['operations'], (op, i) => {
      if (!isObject(op)) return;
      const launch = op['launch'];
      if (!isObject(launch)) return;
      each(launch['task_infos'], (t, j) => {
        const p = `accept.operations[${i}].launch.task_infos[${j}].`;
        need(t, p, ['name', 'task_id', 'agent_id']);
        if (!isObject(t)) return;
        id(t['task_id'], `${p}task_id`);
        id(t['agent_id'], `${p}agent_id`);
        each(t['resources'], (r, k) => {
          need(r, `${p}resources[${k}].`, ['name', 'type']);
          if (!isObject(r)) return;
          if (isObject(r['scalar'])) need(r['scalar'], `${p}resources[${k}].scalar.`, ['value']);
          const ranges = isObject(r['ranges']) ? r['ranges']['range'] : undefined;
          each(ranges, (x, n) => need(x, `${p}resources[${k}].ranges.range[${n}].`, ['begin', 'end']));
        });
        const labels = isObject(t['labels']) ? t['labels']['labels'] : undefined;
        each(labels, (l, k) => need(l, `${p}labels.labels[${k}].`, ['key']));
        const command = isObject(t['command']) ? t['command'] : undefined;
        const env = isObject(command?.['environment'])
          ? (command['environment'] as Json)['variables']
          : undefined;
        each(env, (v, k) => need(v, `${p}command.environment.variables[${k}].`, ['name']));
        if (isObject(t['executor'])) need(t['executor'], `${p}executor.`, ['executor_id']);
        if (isObject(t['container'])) need(t['container'], `${p}container.`, ['type']);
        const hc = isObject(t['health_check']) ? t['health_check'] : undefined;
        if (isObject(hc?.['http'])) need(hc['http'], `${p}health_check.http.`, ['port']);
        if (isObject(hc?.['tcp'])) need(hc['tcp'], `${p}health_check.tcp.`, ['port']);
        const discovery = isObject(t['discovery']) ? t['discovery'] : undefined;
        if (discovery !== undefined) need(discovery, `${p}discovery.`, ['visibility']);
        const ports = isObject(discovery?.['ports']) ? (discovery['ports'] as Json)['ports'] : undefined;
        each(ports, (x, k) => need(x, `${p}discovery.ports.ports[${k}].`, ['number']));
      });
    });
  }
  const kill = call['kill'];
  if (isObject(kill)) need(kill, 'kill.', ['task_id']);
  const ack = call['acknowledge'];
  if (isObject(ack)) need(ack, 'acknowledge.', ['agent_id', 'task_id', 'uuid']);
  const reconcile = call['reconcile'];
  if (isObject(reconcile)) each(reconcile['tasks'], (t, i) => need(t, `reconcile.tasks[${i}].`, ['task_id']));
  const shutdown = call['shutdown'];
  if (isObject(shutdown)) need(shutdown, 'shutdown.', ['executor_id', 'agent_id']);
  const message = call['message'];
  if (isObject(message)) need(message, 'message.', ['agent_id', 'executor_id', 'data']);
  const update = call['update_framework'];
  if (isObject(update)) {
    need(update, 'update_framework.', ['framework_info']);
    need(update['framework_info'], 'update_framework.framework_info.', ['user', 'name']);
  }
  return missing;
}

const CALL_TYPES = new Set([
  'UNKNOWN',
  'SUBSCRIBE',
  'TEARDOWN',
  'ACCEPT',
  'DECLINE',
  'ACCEPT_INVERSE_OFFERS',
  'DECLINE_INVERSE_OFFERS',
  'REVIVE',
  'KILL',
  'SHUTDOWN',
  'ACKNOWLEDGE',
  'ACKNOWLEDGE_OPERATION_STATUS',
  'RECONCILE',
  'RECONCILE_OPERATIONS',
  'MESSAGE',
  'REQUEST',
  'SUPPRESS',
  'UPDATE_FRAMEWORK',
]);

/** Sub-message each call type must carry (REVIVE, SUPPRESS, TEARDOWN carry none). */
const SUB_MESSAGE: Readonly<Record<string, string>> = {
  ACCEPT: 'accept',
  DECLINE: 'decline',
  ACCEPT_INVERSE_OFFERS: 'accept_inverse_offers',
  DECLINE_INVERSE_OFFERS: 'decline_inverse_offers',
  KILL: 'kill',
  SHUTDOWN: 'shutdown',
  ACKNOWLEDGE: 'acknowledge',
  ACKNOWLEDGE_OPERATION_STATUS: 'acknowledge_operation_status',
  RECONCILE: 'reconcile',
  RECONCILE_OPERATIONS: 'reconcile_operations',
  MESSAGE: 'message',
  REQUEST: 'request',
  UPDATE_FRAMEWORK: 'update_framework',
};

export type ParsedCall = { ok: true; call: CallEnvelope & { type: string } } | { ok: false; error: string };

export function parseCall(body: string): ParsedCall {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return { ok: false, error: `Failed to parse body into JSON: ${(err as Error).message}` };
  }
  if (!isObject(json))
    return { ok: false, error: 'Failed to convert JSON into Call protobuf: Expecting a JSON object' };
  const type = json['type'] ?? 'UNKNOWN';
  if (typeof type !== 'string' || !CALL_TYPES.has(type)) {
    return {
      ok: false,
      error: `Failed to convert JSON into Call protobuf: Failed to find enum for '${String(type)}'`,
    };
  }
  const missing = missingRequired(json);
  if (missing.length > 0) {
    return {
      ok: false,
      error: `Failed to convert JSON into Call protobuf: Missing required fields: ${missing.join(', ')}`,
    };
  }
  const call = { ...json, type } as unknown as CallEnvelope & { type: string };
  const invalid = validate(call);
  return invalid === undefined
    ? { ok: true, call }
    : { ok: false, error: `Failed to validate scheduler::Call: ${invalid}` };
}

function validate(call: CallEnvelope & { type: string }): string | undefined {
  if (call.type === 'SUBSCRIBE') {
    if (call.subscribe === undefined) return "Expecting 'subscribe' to be present";
    if (call.framework_id?.value !== call.subscribe.framework_info.id?.value) {
      return "'framework_id' differs from 'subscribe.framework_info.id'";
    }
    return undefined;
  }
  if (call.framework_id === undefined) return "Expecting 'framework_id' to be present";
  const sub = SUB_MESSAGE[call.type];
  if (sub !== undefined && (call as unknown as Json)[sub] === undefined)
    return `Expecting '${sub}' to be present`;
  if (call.type === 'ACKNOWLEDGE' && !isValidUpdateUuid(call.acknowledge?.uuid ?? '')) {
    return 'Not a valid UUID';
  }
  if (
    call.type === 'UPDATE_FRAMEWORK' &&
    call.update_framework?.framework_info.id?.value !== call.framework_id.value
  ) {
    return "'framework_id' differs from 'update_framework.framework_info.id'";
  }
  return undefined;
}
