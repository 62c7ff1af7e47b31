/**
 * Just enough of Kubernetes' protobuf encoding to accept what kubectl's typed clients send for
 * core kinds: `kubectl create namespace` POSTs a v1.Namespace as
 * `application/vnd.kubernetes.protobuf` and does not fall back to JSON. The envelope is the
 * magic "k8s\0" then runtime.Unknown{typeMeta{apiVersion,kind}, raw}; raw is the object.
 * Only ObjectMeta's user-settable fields and Namespace's spec are decoded.
 */
import { BorealisError } from '../errors/index.js';
import type { MutableObject } from './objects.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export type Field = { readonly num: number; readonly bytes?: Buffer; readonly varint?: number };

export function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw new BorealisError('BadRequest', 'truncated protobuf body');
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const wire = tag & 7;
    const num = Math.floor(tag / 8);
    if (wire === 0) out.push({ num, varint: varint() });
    else if (wire === 2) {
      const len = varint();
      out.push({ num, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new BorealisError('BadRequest', `unsupported protobuf wire type ${wire}`);
  }
  return out;
}

export const str = (f: Field | undefined) => f?.bytes?.toString('utf8');
export const first = (fs: Field[], num: number) => fs.find((f) => f.num === num);
export const all = (fs: Field[], num: number) => fs.filter((f) => f.num === num);

function stringMap(fs: Field[], num: number): Record<string, string> | undefined {
  const entries = all(fs, num);
  if (entries.length === 0) return undefined;
  const map: Record<string, string> = {};
  for (const e of entries) {
    const kv = fields(e.bytes ?? Buffer.alloc(0));
    map[str(first(kv, 1)) ?? ''] = str(first(kv, 2)) ?? '';
  }
  return map;
}

function objectMeta(buf: Buffer): MutableObject {
  const fs = fields(buf);
  const meta: MutableObject = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== '') meta[key] = value;
  };
  set('name', str(first(fs, 1)));
  set('generateName', str(first(fs, 2)));
  set('namespace', str(first(fs, 3)));
  set('resourceVersion', str(first(fs, 6)));
  set('labels', stringMap(fs, 11));
  set('annotations', stringMap(fs, 12));
  const finalizers = all(fs, 14).map(str);
  if (finalizers.length > 0) meta['finalizers'] = finalizers;
  return meta;
}

/** The envelope: apiVersion, kind and the encoded object. */
export function decodeEnvelope(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw new BorealisError('BadRequest', 'protobuf body without the k8s envelope');
  }
  const unknown = fields(body.subarray(4));
  const typeMeta = fields(first(unknown, 1)?.bytes ?? Buffer.alloc(0));
  return {
    apiVersion: str(first(typeMeta, 1)) ?? '',
    kind: str(first(typeMeta, 2)) ?? '',
    raw: first(unknown, 2)?.bytes ?? Buffer.alloc(0),
  };
}

/** Decodes a protobuf-encoded core object (Namespace) into its JSON form. */
export function decodeProtobufObject(body: Buffer): MutableObject {
  const { apiVersion, kind, raw } = decodeEnvelope(body);
  if (apiVersion !== 'v1' || kind !== 'Namespace') {
    throw new BorealisError(
      'UnsupportedMediaType',
      `protobuf is accepted only for v1 Namespace, not ${apiVersion} ${kind}; send application/json`,
    );
  }
  const obj = fields(raw);
  const out: MutableObject = {
    apiVersion,
    kind,
    metadata: objectMeta(first(obj, 1)?.bytes ?? Buffer.alloc(0)),
  };
  const spec = fields(first(obj, 2)?.bytes ?? Buffer.alloc(0));
  const finalizers = all(spec, 1).map(str);
  if (finalizers.length > 0) out['spec'] = { finalizers };
  return out;
}
