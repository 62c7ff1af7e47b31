/**
 * The typed client controllers use: one interface, two implementations — in-process (no HTTP,
 * same validation and admission path as the server) and over HTTP to a `borealis server`. It is
 * also the ListWatchSource informers consume, so controllers run unchanged against either.
 */

/** An API object as the client sees it (plain JSON with the usual envelope). */
export interface ApiObjectLike {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
  };
}

/** Which resource: group ("" for core), version, plural, and whether it is namespaced. */
export interface ResourceRef {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
}

export interface ListPage<T> {
  readonly items: readonly T[];
  readonly resourceVersion: string;
  readonly continue?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchHandler<T> {
  onEvent(type: WatchEventType, object: T): void;
  /** The watch ended. A BorealisError with code Expired means: list again. */
  onError(err: Error): void;
  /**
   * The handler never changes the objects it gets (an informer freezes them anyway): a client may
   * then hand over deep-frozen objects shared with its own cache instead of a copy per event.
   */
  readonly readOnly?: boolean;
}

export interface WatchStream {
  close(): void;
}

export interface WriteOptions {
  /** Server-side field manager name (Kubernetes fieldManager). */
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
}

export interface ResourceClient<T extends ApiObjectLike> {
  readonly ref: ResourceRef;
  get(namespace: string | undefined, name: string): Promise<T | undefined>;
  list(namespace: string | undefined, options?: ListOptions): Promise<ListPage<T>>;
  /** Changes after `resourceVersion` ("" or "0": current objects as ADDED, then changes). */
  watch(
    namespace: string | undefined,
    resourceVersion: string,
    handler: WatchHandler<T>,
    options?: ListOptions,
  ): WatchStream;
  create(object: T, options?: WriteOptions): Promise<T>;
  /** PUT; metadata.resourceVersion is required and checked (Conflict when stale). */
  update(object: T, options?: WriteOptions): Promise<T>;
  /** PUT to /status; metadata.resourceVersion is required and checked. */
  updateStatus(object: T, options?: WriteOptions): Promise<T>;
  /** Merge patch of the main resource or of /status. */
  patch(
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options?: WriteOptions & { status?: boolean },
  ): Promise<T>;
  delete(namespace: string | undefined, name: string, options?: { resourceVersion?: string }): Promise<void>;
}

export interface BorealisClient {
  resource<T extends ApiObjectLike>(ref: ResourceRef): ResourceClient<T>;
  close(): Promise<void>;
}
