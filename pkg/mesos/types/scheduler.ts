/**
 * The scheduler API's envelopes (scheduler.proto): Calls the scheduler POSTs to
 * /api/v1/scheduler, and Events the master streams back in RecordIO.
 *
 * `Call` and `Event` are discriminated unions on `type`, so `switch (event.type)` narrows to the
 * body field. `CallEnvelope`/`EventEnvelope` are the loose shapes a receiver parses before it has
 * checked that the body named by `type` is present.
 */
import type {
  AgentID,
  ExecutorID,
  Filters,
  FrameworkID,
  OfferID,
  OperationID,
  ResourceProviderID,
  TaskID,
} from './common.js';
import type { FrameworkInfo } from './framework.js';
import type { InverseOffer, MasterInfo, Offer, OfferOperation, Resource } from './resources.js';
import type { OperationStatus, TaskStatus } from './status.js';
import type { KillPolicy } from './tasks.js';

export type CallType =
  | 'UNKNOWN'
  | 'SUBSCRIBE'
  | 'TEARDOWN'
  | 'ACCEPT'
  | 'DECLINE'
  | 'ACCEPT_INVERSE_OFFERS'
  | 'DECLINE_INVERSE_OFFERS'
  | 'REVIVE'
  | 'KILL'
  | 'SHUTDOWN'
  | 'ACKNOWLEDGE'
  | 'ACKNOWLEDGE_OPERATION_STATUS'
  | 'RECONCILE'
  | 'RECONCILE_OPERATIONS'
  | 'MESSAGE'
  | 'REQUEST'
  | 'SUPPRESS'
  | 'UPDATE_FRAMEWORK';

export interface CallSubscribe {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
}
export interface CallAccept {
  offer_ids: OfferID[];
  operations: OfferOperation[];
  filters?: Filters;
}
export interface CallDecline {
  offer_ids: OfferID[];
  filters?: Filters;
}
export interface CallAcceptInverseOffers {
  inverse_offer_ids: OfferID[];
  filters?: Filters;
}
export interface CallDeclineInverseOffers {
  inverse_offer_ids: OfferID[];
  filters?: Filters;
}
/** Empty or absent roles = all of the framework's roles. */
export interface CallRevive {
  roles?: string[];
}
export interface CallSuppress {
  roles?: string[];
}
export interface CallKill {
  task_id: TaskID;
  agent_id?: AgentID;
  kill_policy?: KillPolicy;
}
export interface CallShutdown {
  executor_id: ExecutorID;
  agent_id: AgentID;
}
export interface CallAcknowledge {
  agent_id: AgentID;
  task_id: TaskID;
  /** base64 of the 16-byte uuid from the TaskStatus being acknowledged. */
  uuid: string;
}
export interface CallAcknowledgeOperationStatus {
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
  uuid: string;
  operation_id: OperationID;
}
export interface CallReconcileTask {
  task_id: TaskID;
  agent_id?: AgentID;
}
/** Empty `tasks` = implicit reconciliation (the master reports every task it knows). */
export interface CallReconcile {
  tasks: CallReconcileTask[];
}
export interface CallReconcileOperations {
  operations: { operation_id: OperationID; agent_id?: AgentID; resource_provider_id?: ResourceProviderID }[];
}
export interface CallMessage {
  agent_id: AgentID;
  executor_id: ExecutorID;
  /** bytes, base64. */
  data: string;
}
export interface CallRequest {
  requests: { agent_id?: AgentID; resources?: Resource[] }[];
}
export interface CallUpdateFramework {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
}

interface CallBase<T extends CallType> {
  type: T;
  framework_id?: FrameworkID;
}

export type SubscribeCall = CallBase<'SUBSCRIBE'> & { subscribe: CallSubscribe };
export type TeardownCall = CallBase<'TEARDOWN'>;
export type AcceptCall = CallBase<'ACCEPT'> & { accept: CallAccept };
export type DeclineCall = CallBase<'DECLINE'> & { decline: CallDecline };
export type AcceptInverseOffersCall = CallBase<'ACCEPT_INVERSE_OFFERS'> & {
  accept_inverse_offers: CallAcceptInverseOffers;
};
export type DeclineInverseOffersCall = CallBase<'DECLINE_INVERSE_OFFERS'> & {
  decline_inverse_offers: CallDeclineInverseOffers;
};
export type ReviveCall = CallBase<'REVIVE'> & { revive?: CallRevive };
export type SuppressCall = CallBase<'SUPPRESS'> & { suppress?: CallSuppress };
export type KillCall = CallBase<'KILL'> & { kill: CallKill };
export type ShutdownCall = CallBase<'SHUTDOWN'> & { shutdown: CallShutdown };
export type AcknowledgeCall = CallBase<'ACKNOWLEDGE'> & { acknowledge: CallAcknowledge };
export type AcknowledgeOperationStatusCall = CallBase<'ACKNOWLEDGE_OPERATION_STATUS'> & {
  acknowledge_operation_status: CallAcknowledgeOperationStatus;
};
export type ReconcileCall = CallBase<'RECONCILE'> & { reconcile: CallReconcile };
export type ReconcileOperationsCall = CallBase<'RECONCILE_OPERATIONS'> & {
  reconcile_operations: CallReconcileOperations;
};
export type MessageCall = CallBase<'MESSAGE'> & { message: CallMessage };
export type RequestCall = CallBase<'REQUEST'> & { request: CallRequest };
export type UpdateFrameworkCall = CallBase<'UPDATE_FRAMEWORK'> & { update_framework: CallUpdateFramework };

/** A scheduler call, narrowed by `type`. */
export type Call =
  | SubscribeCall
  | TeardownCall
  | AcceptCall
  | DeclineCall
  | AcceptInverseOffersCall
  | DeclineInverseOffersCall
  | ReviveCall
  | SuppressCall
  | KillCall
  | ShutdownCall
  | AcknowledgeCall
  | AcknowledgeOperationStatusCall
  | ReconcileCall
  | ReconcileOperationsCall
  | MessageCall
  | RequestCall
  | UpdateFrameworkCall;

/** A call as received, before validation: every body optional, `type` any string. */
export interface CallEnvelope {
  type?: CallType | (string & {});
  framework_id?: FrameworkID;
  subscribe?: CallSubscribe;
  accept?: CallAccept;
  decline?: CallDecline;
  accept_inverse_offers?: CallAcceptInverseOffers;
  decline_inverse_offers?: CallDeclineInverseOffers;
  revive?: CallRevive;
  suppress?: CallSuppress;
  kill?: CallKill;
  shutdown?: CallShutdown;
  acknowledge?: CallAcknowledge;
  acknowledge_operation_status?: CallAcknowledgeOperationStatus;
  reconcile?: CallReconcile;
  reconcile_operations?: CallReconcileOperations;
  message?: CallMessage;
  request?: CallRequest;
  update_framework?: CallUpdateFramework;
}

export type EventType =
  | 'UNKNOWN'
  | 'SUBSCRIBED'
  | 'OFFERS'
  | 'INVERSE_OFFERS'
  | 'RESCIND'
  | 'RESCIND_INVERSE_OFFER'
  | 'UPDATE'
  | 'UPDATE_OPERATION_STATUS'
  | 'MESSAGE'
  | 'FAILURE'
  | 'ERROR'
  | 'HEARTBEAT';

export interface EventSubscribed {
  framework_id: FrameworkID;
  /** Mesos always sends 15. */
  heartbeat_interval_seconds?: number;
  master_info?: MasterInfo;
}
export interface EventOffers {
  offers: Offer[];
}
export interface EventInverseOffers {
  inverse_offers: InverseOffer[];
}
export interface EventRescind {
  offer_id: OfferID;
}
export interface EventRescindInverseOffer {
  inverse_offer_id: OfferID;
}
export interface EventUpdate {
  status: TaskStatus;
}
export interface EventUpdateOperationStatus {
  status: OperationStatus;
}
export interface EventMessage {
  agent_id: AgentID;
  executor_id: ExecutorID;
  /** bytes, base64. */
  data: string;
}
/** An agent (no executor_id) or an executor (with executor_id and exit status) failed. */
export interface EventFailure {
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  status?: number;
}
export interface EventError {
  message: string;
}

export type SubscribedEvent = { type: 'SUBSCRIBED'; subscribed: EventSubscribed };
export type OffersEvent = { type: 'OFFERS'; offers: EventOffers };
export type InverseOffersEvent = { type: 'INVERSE_OFFERS'; inverse_offers: EventInverseOffers };
export type RescindEvent = { type: 'RESCIND'; rescind: EventRescind };
export type RescindInverseOfferEvent = {
  type: 'RESCIND_INVERSE_OFFER';
  rescind_inverse_offer: EventRescindInverseOffer;
};
export type UpdateEvent = { type: 'UPDATE'; update: EventUpdate };
export type UpdateOperationStatusEvent = {
  type: 'UPDATE_OPERATION_STATUS';
  update_operation_status: EventUpdateOperationStatus;
};
export type MessageEvent = { type: 'MESSAGE'; message: EventMessage };
export type FailureEvent = { type: 'FAILURE'; failure: EventFailure };
export type ErrorEvent = { type: 'ERROR'; error: EventError };
export type HeartbeatEvent = { type: 'HEARTBEAT' };

/** A scheduler event, narrowed by `type`. */
export type Event =
  | SubscribedEvent
  | OffersEvent
  | InverseOffersEvent
  | RescindEvent
  | RescindInverseOfferEvent
  | UpdateEvent
  | UpdateOperationStatusEvent
  | MessageEvent
  | FailureEvent
  | ErrorEvent
  | HeartbeatEvent;

/** An event as received, before validation. */
export interface EventEnvelope {
  type?: EventType | (string & {});
  subscribed?: EventSubscribed;
  offers?: EventOffers;
  inverse_offers?: EventInverseOffers;
  rescind?: EventRescind;
  rescind_inverse_offer?: EventRescindInverseOffer;
  update?: EventUpdate;
  update_operation_status?: EventUpdateOperationStatus;
  message?: EventMessage;
  failure?: EventFailure;
  error?: EventError;
}
