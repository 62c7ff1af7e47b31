import { describe, expect, it } from 'vitest';
import { eventKind } from '../../../api/core/v1/event.js';
import { namespaceKind } from '../../../api/core/v1/namespace.js';
import { admit } from './admit.js';

/** An event as a controller records it about the hello job. */
const scheduled = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'hello.17a2b3c4d5e6f708', namespace: 'www-data' },
  involvedObject: {
    apiVersion: 'borealis.dev/v1',
    kind: 'Job',
    namespace: 'www-data',
    name: 'hello',
    uid: 'u-1',
  },
  reason: 'TaskCreated',
  message: 'Created task www-data-prod-hello-0-7f3a for instance 0',
  type: 'Normal',
  count: 1,
  firstTimestamp: '2026-11-22T01:00:00Z',
  lastTimestamp: '2026-11-22T01:00:00Z',
  source: { component: 'borealis-jobs-controller' },
  reportingComponent: 'borealis.dev/jobs-controller',
  reportingInstance: 'node-1',
};

describe('Event', () => {
  it('accepts the core/v1 shape kubectl describe reads', () => {
    expect(admit(eventKind, scheduled).errors).toEqual([]);
  });

  it('can be selected by every involvedObject field kubectl describe puts in its field selector', () => {
    for (const f of ['name', 'namespace', 'kind', 'uid']) {
      expect(eventKind.selectableFields).toContain(`.involvedObject.${f}`);
    }
  });

  it('rejects a type other than Normal or Warning', () => {
    expect(admit(eventKind, { ...scheduled, type: 'Info' }).errors).toEqual([
      'type: Unsupported value: "Info": supported values: "Normal", "Warning"',
    ]);
  });

  it('rejects an event about nothing in particular', () => {
    const { errors } = admit(eventKind, { ...scheduled, involvedObject: { kind: 'Job' } });
    expect(errors).toEqual(['involvedObject.name: Required value']);
  });

  it('rejects an event filed in another namespace than its object', () => {
    const { errors } = admit(eventKind, { ...scheduled, metadata: { name: 'x', namespace: 'other' } });
    expect(errors).toEqual([
      'involvedObject.namespace: Invalid value: "www-data": does not match event.namespace',
    ]);
  });
});

describe('Namespace', () => {
  it('accepts an Aurora role name that is a DNS label', () => {
    expect(
      admit(namespaceKind, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'www-data' } }).errors,
    ).toEqual([]);
  });

  it('rejects a name Kubernetes clients could not address', () => {
    const { errors } = admit(namespaceKind, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'WWW_data' },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^metadata\.name: Invalid value: "WWW_data": a lowercase RFC 1123 label/);
  });

  it('rejects a phase Kubernetes does not have', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' }, status: { phase: 'Gone' } };
    expect(admit(namespaceKind, ns).errors).toEqual([
      'status.phase: Unsupported value: "Gone": supported values: "Active", "Terminating"',
    ]);
  });
});
