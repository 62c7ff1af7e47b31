import { describe, expect, test } from 'vitest';
import type { KindDefinition } from '../../../api/kind.js';
import { versionPriority } from '../../../pkg/apiserver/discovery.js';
import { EventRing } from '../../../pkg/apiserver/event-ring.js';
import { jsonPath } from '../../../pkg/apiserver/jsonpath.js';
import { parseFieldSelector, parseLabelSelector } from '../../../pkg/apiserver/selectors.js';
import { humanDuration } from '../../../pkg/apiserver/table.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration renders ages as kubectl users know them', () => {
  test.each([
    [5 * s, '5s'],
    [119 * s, '119s'],
    [5 * m, '5m'],
    [5 * m + 7 * s, '5m7s'],
    [45 * m, '45m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [30 * h, '30h'],
    [2 * d + 3 * h, '2d3h'],
    [9 * d, '9d'],
    [800 * d, '2y70d'],
    [-5 * s, '<invalid>'],
  ])('%d ms → %s', (ms, want) => expect(humanDuration(ms)).toBe(want));
});

const obj = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'x', namespace: 'ns', labels },
  spec,
});

describe('label selectors', () => {
  test.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'api' }, false],
    ['app!=web', {}, true],
    ['env in (prod, staging)', { env: 'staging' }, true],
    ['env notin (prod)', { env: 'prod' }, false],
    ['env notin (prod)', {}, true],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['app=web,env in (prod,dev),!legacy', { app: 'web', env: 'dev' }, true],
  ])('%s on %j → %s', (sel, labels, want) => expect(parseLabelSelector(sel)?.(obj(labels))).toBe(want));

  test('garbage is a 400 naming the requirement', () => {
    expect(() => parseLabelSelector('a b c')).toThrow(/unable to parse requirement/);
  });
});

describe('field selectors', () => {
  const kind = { selectableFields: ['.spec.environment'] } as unknown as KindDefinition;
  test('name, namespace and the kind’s selectable fields', () => {
    expect(parseFieldSelector(kind, 'metadata.name=x,metadata.namespace=ns')?.(obj({}))).toBe(true);
    expect(parseFieldSelector(kind, 'spec.environment!=prod')?.(obj({}, { environment: 'prod' }))).toBe(
      false,
    );
    expect(() => parseFieldSelector(kind, 'spec.other=1')).toThrow('field label not supported: spec.other');
  });
});

describe('printer-column JSONPath', () => {
  const o = {
    status: {
      conditions: [
        { type: 'A', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
    },
    spec: { ports: [80, 443] },
  };
  test('fields, indexes and filters', () => {
    expect(jsonPath(o, '.status.conditions[?(@.type=="Ready")].status')).toBe('True');
    expect(jsonPath(o, '.spec.ports[1]')).toBe(443);
    expect(jsonPath(o, '.spec.missing')).toBeUndefined();
  });
});

describe('version priority (discovery lists the preferred version first)', () => {
  test('GA before beta before alpha, newer first', () => {
    expect(['v1alpha1', 'v1beta1', 'v2', 'v1', 'v1beta2', 'foo'].sort(versionPriority)).toEqual([
      'v2',
      'v1',
      'v1beta2',
      'v1beta1',
      'v1alpha1',
      'foo',
    ]);
  });
});

describe('the watch cache event ring', () => {
  test('keeps the newest events, oldest first, and hands back what it evicts', () => {
    const ring = new EventRing<{ revision: number }>(3);
    const evicted = [1, 2, 3, 4, 5].map((revision) => ring.push({ revision })?.revision);
    expect(evicted).toEqual([undefined, undefined, undefined, 1, 2]);
    expect([...ring].map((e) => e.revision)).toEqual([3, 4, 5]);
    ring.clear();
    expect([...ring]).toEqual([]);
  });
});
