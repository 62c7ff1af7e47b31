/** The controller runtime every reconciler stands on; see ./README.md for how the pieces fit. */
export { NAMESPACE_INDEX, OWNER_INDEX, objectKey, type RuntimeObject, splitKey } from './cache.js';
export { type Clock, FakeClock, sleep, systemClock, type TimerHandle } from './clock.js';
export {
  Controller,
  type ControllerOptions,
  type ReconcileContext,
  type ReconcileResult,
  ReconcileTimeoutError,
  TerminalError,
} from './controller.js';
export type { IndexFunc } from './indexer.js';
export {
  CacheNotSyncedError,
  type DeleteInfo,
  type EventHandler,
  Informer,
  type InformerOptions,
  waitForCacheSync,
} from './informer.js';
export {
  alwaysLeader,
  EtcdLeaderElector,
  type EtcdLeaderElectorOptions,
  type FencingToken,
  fencingCheck,
  type LeaderCallbacks,
  type LeaderElector,
} from './leader-election.js';
export {
  isExpired,
  type ListPage,
  type ListWatchEvent,
  type ListWatchSource,
  storeListWatch,
  type WatchHandler,
} from './list-watch.js';
export { type ManagedController, type ManagedInformer, Manager, type ManagerOptions } from './manager.js';
export {
  defaultControllerRateLimiter,
  ExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
  TokenBucketRateLimiter,
} from './rate-limiter.js';
export { WorkQueue, type WorkQueueOptions } from './work-queue.js';
