/**
 * BorealisClient inside the API server's process: controllers started next to the server (as by
 * `borealis up`) talk to it without TLS, sockets or JSON, through the same ResourceService,
 * patch and delete pipeline and watch caches as REST and gRPC.
 *
 *   const client = new InProcessClient(server);                       // the controllers' identity
 *   const client = new InProcessClient(server, { user, authorizer }); // someone else, authorized
 */
import type { UserInfo } from '../../apiserver/admission.js';
import { ADMIN_GROUP, type Authorizer } from '../../apiserver/auth.js';
import type { ApiServer } from '../../apiserver/server.js';
import type { ApiObjectLike, BorealisClient, ResourceClient, ResourceRef } from '../types.js';
import { InProcessResourceClient, type ResourceDeps } from './resource-client.js';

/** Who the controllers are when nobody says otherwise: an admin, like their kubeconfig token. */
export const CONTROLLERS_USER: UserInfo = {
  name: 'system:borealis-controllers',
  uid: '',
  groups: [ADMIN_GROUP],
};

export interface InProcessClientOptions {
  /** The identity admission plugins see (default: CONTROLLERS_USER). */
  readonly user?: UserInfo;
  /**
   * Authorize every call as REST would. Absent, calls are not authorized: the caller lives in the
   * server's process and could reach the store anyway. Give one when `user` is not an admin.
   */
  readonly authorizer?: Authorizer;
  /** managedFields manager for writes that name none (default "borealis-controllers"). */
  readonly fieldManager?: string;
  /** How often watches send a BOOKMARK (default 5000 ms, the API server's default). */
  readonly bookmarkIntervalMs?: number;
}

type ServerParts = Pick<ApiServer, 'resources' | 'watchCaches'>;

export class InProcessClient implements BorealisClient {
  private readonly deps: ResourceDeps;

  constructor(server: ServerParts, options: InProcessClientOptions = {}) {
    this.deps = {
      svc: server.resources,
      caches: server.watchCaches,
      user: options.user ?? CONTROLLERS_USER,
      authorizer: options.authorizer,
      fieldManager: options.fieldManager ?? 'borealis-controllers',
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000,
      watches: new Set(),
    };
  }

  resource<T extends ApiObjectLike>(ref: ResourceRef): ResourceClient<T> {
    return new InProcessResourceClient<T>(ref, this.deps);
  }

  /** Closes the watches still open (their handlers hear nothing more); the server is not ours. */
  async close(): Promise<void> {
    for (const w of [...this.deps.watches]) w.close();
  }
}
