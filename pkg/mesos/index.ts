/**
 * pkg/mesos: a Mesos v1 HTTP API client any framework can use (it knows nothing of Borealis).
 *
 * - MesosSchedulerClient: the scheduler API (subscribe, typed events, calls).
 * - MesosOperatorClient: the operator API subset for agents, tasks, maintenance, draining.
 * - TaskReconciler: explicit reconciliation rounds (re-ask unanswered tasks with backoff).
 * - RecordIO encoder/decoder, shared with the embedded master.
 * - Wire types in ./types.js.
 */
export { Backoff, type BackoffOptions } from './backoff.js';
export { endpointUrl, OPERATOR_API_PATH, SCHEDULER_API_PATH } from './endpoints.js';
export {
  MesosCallRejected,
  MesosConnectionError,
  MesosHttpError,
  MesosMasterError,
  MesosProtocolError,
  MesosStreamError,
} from './errors.js';
export { type DecodedEvent, EventStreamDecoder, parseEventRecord } from './event-decoder.js';
export {
  type AgentList,
  type DrainAgentOptions,
  MesosOperatorClient,
  type OperatorClientOptions,
  type TaskList,
} from './operator-client.js';
export {
  DEFAULT_MAX_RECORD_BYTES,
  encodeRecord,
  encodeRecords,
  RecordIODecoder,
  type RecordIODecoderOptions,
  RecordIOError,
} from './recordio.js';
export {
  acknowledgementFor,
  buildFrameworkInfo,
  DEFAULT_CAPABILITIES,
  type FrameworkInfoInput,
  type IdLike,
  type KillOptions,
  needsAcknowledgement,
  type ReconcileTaskInput,
  toId,
} from './scheduler-calls.js';
export { SchedulerCalls } from './scheduler-calls-api.js';
export {
  MesosSchedulerClient,
  type SchedulerClientOptions,
  type SchedulerClientState,
} from './scheduler-client.js';
export type { ConnectedInfo, DisconnectedInfo, SchedulerClientEvents } from './scheduler-client-events.js';
export { type ReconcileResult, TaskReconciler, type TaskReconcilerOptions } from './task-reconciler.js';
export type * from './types.js';
