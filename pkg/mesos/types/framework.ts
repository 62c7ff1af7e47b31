/** FrameworkInfo: who the scheduler is, as it tells the master on SUBSCRIBE and UPDATE_FRAMEWORK. */
import type { FrameworkID, Labels, ValueScalar } from './common.js';

export type FrameworkCapabilityType =
  | 'UNKNOWN'
  | 'REVOCABLE_RESOURCES'
  | 'TASK_KILLING_STATE'
  | 'GPU_RESOURCES'
  | 'SHARED_RESOURCES'
  | 'PARTITION_AWARE'
  | 'MULTI_ROLE'
  | 'RESERVATION_REFINEMENT'
  | 'REGION_AWARE';

export interface FrameworkCapability {
  type: FrameworkCapabilityType;
}

export interface OfferFilters {
  min_allocatable_resources?: { quantities: { quantities: Record<string, ValueScalar> }[] };
}

export interface FrameworkInfo {
  user: string;
  name: string;
  /** Set when re-subscribing (failover); must equal the call's top-level framework_id. */
  id?: FrameworkID;
  /** Seconds the master keeps the framework's tasks after it disconnects (default 0). */
  failover_timeout?: number;
  checkpoint?: boolean;
  /** Deprecated single role; use `roles` with the MULTI_ROLE capability. */
  role?: string;
  roles?: string[];
  hostname?: string;
  principal?: string;
  webui_url?: string;
  capabilities?: FrameworkCapability[];
  labels?: Labels;
  offer_filters?: Record<string, OfferFilters>;
}
