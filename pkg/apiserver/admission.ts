/**
 * Admission hook points. Mutating plugins may change the object before it is validated; validating
 * plugins see the final object and reject by throwing (a BorealisError: Forbidden for quota,
 * Invalid for policy). Both run on dry runs too, since a dry run must answer as the real write would.
 */
import type { ApiObject, KindDefinition } from '../../api/kind.js';
import type { MutableObject } from './objects.js';

export interface UserInfo {
  readonly name: string;
  readonly uid: string;
  readonly groups: readonly string[];
}

export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly kind: KindDefinition;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly subresource: string | undefined;
  /** The object being written (mutable for mutating plugins); undefined for DELETE. */
  readonly object: MutableObject | undefined;
  readonly oldObject: ApiObject | undefined;
  readonly user: UserInfo;
  readonly dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  mutate?(req: AdmissionRequest): void | Promise<void>;
  validate?(req: AdmissionRequest): void | Promise<void>;
}

export class AdmissionChain {
  private readonly plugins: AdmissionPlugin[] = [];

  add(plugin: AdmissionPlugin): void {
    this.plugins.push(plugin);
  }

  /** Whether any plugin is installed (without one, run() leaves every object as it was). */
  get empty(): boolean {
    return this.plugins.length === 0;
  }

  async run(req: AdmissionRequest): Promise<void> {
    for (const p of this.plugins) if (p.mutate) await p.mutate(req);
    for (const p of this.plugins) if (p.validate) await p.validate(req);
  }
}

export const SYSTEM_USER: UserInfo = { name: 'system:apiserver', uid: '', groups: ['system:masters'] };
