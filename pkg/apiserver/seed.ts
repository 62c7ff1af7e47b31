/**
 * Objects a fresh cluster starts with (the built-in tiers, say): created at start-up when missing,
 * left alone when present, so an administrator's changes survive restarts.
 */
import type { ApiObject } from '../../api/kind.js';
import { isBorealisError } from '../errors/index.js';
import { SYSTEM_USER } from './admission.js';
import { deepCopy, type MutableObject, metaString } from './objects.js';
import type { ResourceService } from './resources.js';

export async function seedObjects(svc: ResourceService, objects: readonly ApiObject[]): Promise<void> {
  const ctx = {
    user: SYSTEM_USER,
    dryRun: false,
    fieldManager: 'borealis-seed',
    fieldValidation: 'Strict' as const,
    warnings: [],
  };
  for (const obj of objects) {
    const apiVersion = obj.apiVersion ?? '';
    const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
    const served = svc.registry.byKind(group, obj.kind ?? '');
    if (!served) throw new Error(`cannot seed ${apiVersion} ${obj.kind ?? ''}: kind not served`);
    try {
      await svc.create(served, metaString(obj, 'namespace'), deepCopy(obj) as MutableObject, ctx);
    } catch (err) {
      if (!isBorealisError(err, 'AlreadyExists')) throw err;
    }
  }
}
