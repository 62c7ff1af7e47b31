/**
 * What a write request carries besides its body: who asks, dry run, the field manager and how
 * strictly unknown fields are treated. Warnings collected here become `Warning` headers.
 */
import type { UserInfo } from './admission.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteContext {
  readonly user: UserInfo;
  readonly dryRun: boolean;
  readonly fieldManager: string;
  readonly fieldValidation: FieldValidation;
  /** Filled in while serving; sent back as `Warning: 299 - "<text>"` headers. */
  readonly warnings: string[];
}

export function parseFieldValidation(value: string | undefined): FieldValidation {
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  // Kubernetes' default for requests that do not say: warn.
  return 'Warn';
}
