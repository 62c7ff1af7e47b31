/**
 * Recording Kubernetes Events about objects, so `kubectl describe job hello` tells what the
 * controllers did and why. Repeats of the same reason and message on the same object within a
 * short window bump the count of the existing Event instead of creating another (as client-go's
 * event correlator does). Recording never fails the caller: an Event is a courtesy, not state.
 */
import { randomBytes } from 'node:crypto';
import type { Event } from '../../api/core/v1/event.js';
import { componentLogger } from '../log/index.js';
import type { Clock } from '../runtime/clock.js';
import { EVENTS } from './refs.js';
import type { BorealisClient } from './types.js';

export interface Involved {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid?: string;
}

const AGGREGATE_WINDOW_MS = 10 * 60 * 1000;

export class EventRecorder {
  private readonly log = componentLogger('events');
  private readonly recent = new Map<
    string,
    { name: string; count: number; firstTimestamp: string; at: number }
  >();

  constructor(
    private readonly client: BorealisClient,
    private readonly component: string,
    private readonly clock: Clock,
  ) {}

  record(involved: Involved, type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.write(involved, type, reason, message).catch((err: unknown) =>
      this.log.debug({ err, reason }, 'event not recorded'),
    );
  }

  private async write(
    involved: Involved,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): Promise<void> {
    const events = this.client.resource<Event>(EVENTS);
    const now = this.clock.now();
    const nowIso = new Date(now).toISOString();
    const key = `${involved.namespace}/${involved.kind}/${involved.name}/${reason}/${message}`;
    const seen = this.recent.get(key);
    if (seen && now - seen.at < AGGREGATE_WINDOW_MS) {
      seen.count++;
      seen.at = now;
      await events.patch(involved.namespace, seen.name, { count: seen.count, lastTimestamp: nowIso });
      return;
    }
    if (this.recent.size > 10_000) this.recent.clear();
    const name = `${involved.name}.${randomBytes(8).toString('hex')}`;
    this.recent.set(key, { name, count: 1, firstTimestamp: nowIso, at: now });
    await events.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: involved.namespace },
      involvedObject: { ...involved },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: nowIso,
      lastTimestamp: nowIso,
      source: { component: this.component },
      reportingComponent: this.component,
    });
  }
}

/** The Involved reference of any namespaced API object. */
export function involvedOf(
  kind: string,
  obj: { metadata: { name?: string; namespace?: string; uid?: string } },
): Involved {
  return {
    apiVersion: 'borealis.dev/v1',
    kind,
    name: obj.metadata.name ?? '',
    namespace: obj.metadata.namespace ?? '',
    ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}),
  };
}
