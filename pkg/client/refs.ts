/** ResourceRefs of the kinds the controllers use. */
import type { ResourceRef } from './types.js';

const borealis = (plural: string, namespaced: boolean): ResourceRef => ({
  group: 'borealis.dev',
  version: 'v1',
  plural,
  namespaced,
});

export const JOBS = borealis('jobs', true);
export const TASKS = borealis('tasks', true);
export const HOSTS = borealis('hosts', false);
export const MAINTENANCES = borealis('maintenances', false);
export const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
export const EVENTS: ResourceRef = { group: '', version: 'v1', plural: 'events', namespaced: true };

/** URL path of a collection or an object: /api/v1/... for core, /apis/<g>/<v>/... otherwise. */
export function resourcePath(
  ref: ResourceRef,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  const root = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const ns = ref.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  const sub = subresource ? `/${subresource}` : '';
  return `${root}${ns}/${ref.plural}${obj}${sub}`;
}
