/** The events MesosSchedulerClient emits, with their arguments (a typed EventEmitter map). */
import type { MesosMasterError } from './errors.js';
import type {
  Event,
  EventFailure,
  EventMessage,
  EventSubscribed,
  InverseOffer,
  MasterInfo,
  Offer,
  OfferID,
  OperationStatus,
  TaskStatus,
} from './types.js';

export interface ConnectedInfo {
  readonly frameworkId: string;
  readonly streamId: string;
  /** The leader's scheduler endpoint (after any redirect). */
  readonly masterUrl: string;
  /** True when this subscription reused a framework id (a failover or a reconnect). */
  readonly resubscribed: boolean;
  readonly heartbeatIntervalSeconds: number;
  readonly masterInfo: MasterInfo | undefined;
}

export interface DisconnectedInfo {
  /** Why the connection ended (MesosHttpError, MesosConnectionError, MesosStreamError, ...). */
  readonly error: Error;
  /** True if the stream had been subscribed (false: the attempt failed before SUBSCRIBED). */
  readonly wasSubscribed: boolean;
  /** Delay until the next SUBSCRIBE, or undefined when the client will not reconnect. */
  readonly reconnectInMs: number | undefined;
}

export interface SchedulerClientEvents {
  /** Subscribed (first time or again): calls can be made; reconcile now. */
  connected: [info: ConnectedInfo];
  /** The subscription ended or an attempt failed; calls fail until `connected` again. */
  disconnected: [info: DisconnectedInfo];
  /** Something went wrong on the stream (bad answer, garbage, silence). Followed by `disconnected`. */
  streamError: [error: Error];
  /** The client stopped for good (stop(), TEARDOWN or an ERROR event); it will not reconnect. */
  stopped: [];
  /** The master sent an ERROR event; the client has stopped (see MesosMasterError). */
  mesosError: [error: MesosMasterError];
  subscribed: [subscribed: EventSubscribed];
  offers: [offers: Offer[]];
  inverseOffers: [inverseOffers: InverseOffer[]];
  rescind: [offerId: OfferID];
  rescindInverseOffer: [inverseOfferId: OfferID];
  /** A task status update. Acknowledge it (client.acknowledge) if it carries a uuid. */
  update: [status: TaskStatus];
  operationStatus: [status: OperationStatus];
  message: [message: EventMessage];
  /** An agent (no executor_id) or an executor failed. */
  failure: [failure: EventFailure];
  heartbeat: [];
  /** Every typed event, in stream order (also what `client.events()` yields). */
  event: [event: Event];
  /** An event type this client does not know (a newer master); passed through as parsed. */
  unknownEvent: [type: string, raw: Record<string, unknown>];
}
