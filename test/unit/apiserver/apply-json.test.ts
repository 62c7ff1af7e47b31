/** JSON apply configurations parsed as JSON give what the YAML parser gives. */
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseApplyJson } from '../../../pkg/apiserver/patching.js';

describe('parseApplyJson', () => {
  test.each([
    '{"apiVersion":"v1","kind":"X","metadata":{"name":"a","annotations":{"k":"v"}}}',
    ' {"a":[1,2.5,-0,1e3,true,false,null,"\\u00e9\\n\\"q\\"",{"b":[]}],"c":{}}',
    '{"emoji":"🦊","big":12345678901234567890,"neg":-1.25e-3}',
  ])('same value as YAML: %s', (raw) => {
    expect(parseApplyJson(raw)).toEqual(parseYaml(raw));
  });

  test('not JSON, or JSON with duplicate keys: left to the YAML parser', () => {
    expect(parseApplyJson('apiVersion: v1\nkind: X\n')).toBeUndefined();
    expect(parseApplyJson('{"a":1,"a":2}')).toBeUndefined();
    expect(parseApplyJson('{"a":1')).toBeUndefined();
  });
});
