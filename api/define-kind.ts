/**
 * Every kind goes through defineKind so rules that hold for all kinds run in its validate, ahead of
 * the kind's own cross-field rules: today, uniqueness in set and map lists (list-types.ts).
 */
import type { KindDefinition } from './kind.js';
import { withListTypes } from './list-types.js';

export const defineKind = (kind: KindDefinition): KindDefinition => ({
  ...kind,
  validate: withListTypes(kind.schema, kind.validate),
});
