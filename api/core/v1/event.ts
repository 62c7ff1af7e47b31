/**
 * Event (core/v1), the shape `kubectl describe` reads: it lists
 * /api/v1/namespaces/<ns>/events?fieldSelector=involvedObject.name=...,involvedObject.kind=...,...
 * and prints type, reason, age (from lastTimestamp / firstTimestamp / eventTime), source and message.
 * Controllers record events here for every decision a user would want explained.
 */
import { defineKind } from '../../define-kind.js';
import { invalid, required } from '../../field.js';
import type { ApiObject, FieldProblem, JsonSchema, KindDefinition } from '../../kind.js';
import { type ObjectMeta, objectSchema } from '../../meta.js';
import { int32, obj, oneOfStr, str, time } from '../../schema.js';

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface Event {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: ObjectMeta;
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  type?: 'Normal' | 'Warning';
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  series?: { count?: number; lastObservedTime?: string };
  action?: string;
  related?: ObjectReference;
  reportingComponent?: string;
  reportingInstance?: string;
}

const objectReference = (description: string): JsonSchema =>
  obj(description, {
    apiVersion: str('API version of the referent, e.g. borealis.dev/v1.'),
    kind: str('Kind of the referent, e.g. Job.'),
    namespace: str('Namespace of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
    resourceVersion: str('resourceVersion of the referent when the event happened.'),
    fieldPath: str('Part of the object the event is about, e.g. spec.task.'),
  });

export function validateEvent(o: ApiObject): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const involved = o['involvedObject'] as ObjectReference | undefined;
  if (involved?.kind === undefined || involved.kind === '') {
    problems.push(required('involvedObject.kind'));
  }
  if (involved?.name === undefined || involved.name === '') {
    problems.push(required('involvedObject.name'));
  }
  const ns = o.metadata?.['namespace'];
  // Kubernetes requires an event about a namespaced object to live in that object's namespace.
  if (
    involved?.namespace !== undefined &&
    involved.namespace !== '' &&
    ns !== undefined &&
    ns !== involved.namespace
  ) {
    problems.push(invalid('involvedObject.namespace', involved.namespace, 'does not match event.namespace'));
  }
  return problems;
}

export const eventKind: KindDefinition = defineKind({
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  categories: [],
  namespaced: true,
  schema: objectSchema(
    'A report of something that happened to an object (core/v1 Event), shown by kubectl describe.',
    {
      involvedObject: objectReference('The object this event is about.'),
      reason: str('Short CamelCase reason, e.g. Scheduled, Killed, UpdateRolledBack.'),
      message: str('Human-readable description of what happened.'),
      type: oneOfStr('Normal or Warning.', ['Normal', 'Warning']),
      count: int32('How many times this event has occurred (repeats are aggregated).', { minimum: 0 }),
      firstTimestamp: time('When the event was first recorded.'),
      lastTimestamp: time('When the most recent occurrence was recorded.'),
      eventTime: {
        type: 'string',
        format: 'date-time',
        description: 'When the event was first observed (MicroTime).',
      },
      source: obj('The component reporting the event (legacy; see reportingComponent).', {
        component: str('Component, e.g. borealis-jobs-controller.'),
        host: str('Host the component runs on.'),
      }),
      series: obj('Data about a series of repeated events.', {
        count: int32('Occurrences in the series so far.'),
        lastObservedTime: time('When the last occurrence was observed.'),
      }),
      action: str('What was done or failed, e.g. Launch, Kill, Preempt.'),
      related: objectReference('A second object involved, e.g. the preempting task.'),
      reportingComponent: str('Controller that emitted the event, e.g. borealis.dev/jobs-controller.'),
      reportingInstance: str('Id of the emitting controller instance, e.g. its host name.'),
    },
    ['involvedObject'],
  ),
  printerColumns: [
    { name: 'Last Seen', type: 'date', jsonPath: '.lastTimestamp' },
    { name: 'Type', type: 'string', jsonPath: '.type' },
    { name: 'Reason', type: 'string', jsonPath: '.reason' },
    { name: 'Object-Kind', type: 'string', jsonPath: '.involvedObject.kind' },
    { name: 'Object', type: 'string', jsonPath: '.involvedObject.name' },
    { name: 'Message', type: 'string', jsonPath: '.message' },
    { name: 'Source', type: 'string', jsonPath: '.source.component', priority: 1 },
    { name: 'Count', type: 'integer', jsonPath: '.count', priority: 1 },
    { name: 'First Seen', type: 'date', jsonPath: '.firstTimestamp', priority: 1 },
  ],
  // Events have no spec/status split; clients write them whole.
  statusSubresource: false,
  // The field selectors Kubernetes supports on events (kubectl describe uses the involvedObject ones).
  selectableFields: [
    '.involvedObject.kind',
    '.involvedObject.namespace',
    '.involvedObject.name',
    '.involvedObject.uid',
    '.involvedObject.apiVersion',
    '.involvedObject.resourceVersion',
    '.involvedObject.fieldPath',
    '.reason',
    '.reportingComponent',
    '.source.component',
    '.type',
  ],
  validate: validateEvent,
});
