import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../pkg/runtime/cache.js';
import { freezeSharing } from '../../../pkg/runtime/shared-json.js';
import { decodeValue } from '../../../pkg/storage/codec.js';

/** A Task as the store holds it, trimmed to the parts that matter here. */
function taskJson(name: string, command: string, time: string): string {
  return JSON.stringify({
    apiVersion: 'borealis.dev/v1',
    kind: 'Task',
    metadata: {
      name,
      namespace: 'prod',
      ownerReferences: [{ kind: 'Job', name: 'web', uid: 'u-1', controller: true }],
      managedFields: [
        { manager: 'borealis-jobs-controller', time, fieldsV1: { 'f:spec': { 'f:template': {} } } },
      ],
    },
    spec: { jobName: 'web', template: { command, resources: { cpus: 0.1, ramMb: 32 } } },
    status: { phase: 'Running', host: 'agent-1', events: [{ phase: 'Running', time }] },
  });
}

type Task = {
  metadata: { ownerReferences: unknown; managedFields: { time: string; fieldsV1: unknown }[] };
  spec: { template: { command: string } };
  status: { host: string };
};

describe('freezeSharing (decoded objects share what they repeat)', () => {
  it('gives equal templates, owner references and field sets one copy, and keeps every value', () => {
    const a = decodeValue<Task>(taskJson('web-0', 'serve', '2026-11-22T10:00:00Z'));
    const b = decodeValue<Task>(taskJson('web-1', 'serve', '2026-11-22T10:00:01Z'));
    expect(a.spec.template).toBe(b.spec.template);
    expect(a.metadata.ownerReferences).toBe(b.metadata.ownerReferences);
    expect(a.metadata.managedFields[0]!.fieldsV1).toBe(b.metadata.managedFields[0]!.fieldsV1);
    // What differs stays apart, and nothing is lost or changed by the sharing.
    expect(a.metadata.managedFields[0]).not.toBe(b.metadata.managedFields[0]);
    expect(a).toEqual(JSON.parse(taskJson('web-0', 'serve', '2026-11-22T10:00:00Z')));
    expect(b).toEqual(JSON.parse(taskJson('web-1', 'serve', '2026-11-22T10:00:01Z')));
  });

  it('does not share templates that differ', () => {
    const a = decodeValue<Task>(taskJson('web-0', 'serve --v1', 't'));
    const b = decodeValue<Task>(taskJson('web-0', 'serve --v2', 't'));
    expect(a.spec.template).not.toBe(b.spec.template);
    expect(b.spec.template.command).toBe('serve --v2');
  });

  it('freezes everything, shared parts included', () => {
    const a = decodeValue<Task>(taskJson('web-0', 'serve', 't'));
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.spec.template)).toBe(true);
    expect(Object.isFrozen(a.metadata.managedFields[0]!.fieldsV1)).toBe(true);
    expect(Object.isFrozen(a.status)).toBe(true);
    expect(() => {
      (a.spec.template as { command: string }).command = 'changed';
    }).toThrow(TypeError);
  });

  it('cannot replace what a frozen object holds, but freezes and shares inside it', () => {
    const shared = decodeValue<{ template: unknown }>('{"template":{"command":"serve"}}').template;
    const own = { command: 'serve' };
    const inner = { template: { command: 'serve' } };
    const envelope = Object.freeze({ template: own, spec: inner });
    freezeSharing(envelope);
    expect(envelope.template).toBe(own);
    expect(Object.isFrozen(own)).toBe(true);
    // The mutable `inner` could take the shared copy before being frozen.
    expect(inner.template).toBe(shared);
    expect(Object.isFrozen(inner)).toBe(true);
  });

  it('is what informers freeze with: a listed object shares with a decoded one', () => {
    const listed = deepFreeze(JSON.parse(taskJson('web-2', 'serve', 't')) as Task);
    const decoded = decodeValue<Task>(taskJson('web-3', 'serve', 't'));
    expect(listed.spec.template).toBe(decoded.spec.template);
  });
});
