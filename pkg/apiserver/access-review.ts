/**
 * `kubectl auth can-i` and `kubectl auth whoami`: SelfSubjectAccessReview
 * (authorization.k8s.io/v1) and SelfSubjectReview (authentication.k8s.io/v1), answered from the
 * same authenticator and policy as every request. kubectl sends these as protobuf (it knows the
 * Go types); JSON works too. Nothing is stored.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BorealisError } from '../errors/index.js';
import type { Authorizer } from './auth.js';
import { isPlainObject } from './objects.js';
import { all, decodeEnvelope, fields, first, PROTOBUF_CONTENT_TYPE, str } from './protobuf.js';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

function fromProtobuf(body: Buffer): ResourceAttributes {
  const review = fields(decodeEnvelope(body).raw);
  const spec = fields(first(review, 2)?.bytes ?? Buffer.alloc(0));
  const attrs = fields(first(spec, 1)?.bytes ?? Buffer.alloc(0));
  const at = (n: number) => str(all(attrs, n)[0]);
  const pick = (n: number) => at(n) ?? '';
  return {
    namespace: pick(1),
    verb: pick(2),
    group: pick(3),
    resource: pick(5),
    subresource: pick(6),
    name: pick(7),
  };
}

function attributesOf(req: FastifyRequest): ResourceAttributes {
  if (Buffer.isBuffer(req.body) && (req.headers['content-type'] ?? '').startsWith(PROTOBUF_CONTENT_TYPE)) {
    return fromProtobuf(req.body);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof req.body === 'string' ? req.body : '{}');
  } catch {
    throw new BorealisError('BadRequest', 'error decoding SelfSubjectAccessReview');
  }
  const spec = isPlainObject(parsed) && isPlainObject(parsed['spec']) ? parsed['spec'] : {};
  const attrs = isPlainObject(spec['resourceAttributes']) ? spec['resourceAttributes'] : {};
  const s = (k: string) => (typeof attrs[k] === 'string' ? (attrs[k] as string) : '');
  return {
    namespace: s('namespace'),
    verb: s('verb'),
    group: s('group'),
    resource: s('resource'),
    subresource: s('subresource'),
    name: s('name'),
  };
}

export function registerAccessReviewRoutes(app: FastifyInstance, authorizer: Authorizer): void {
  app.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', async (req, reply) => {
    const user = authorizer.authenticate(req.headers.authorization);
    const a = attributesOf(req);
    const resource = a.subresource ? `${a.resource ?? ''}/${a.subresource}` : (a.resource ?? '');
    const allowed = authorizer.allowed(user, {
      verb: a.verb ?? '',
      group: a.group ?? '',
      resource,
      namespace: a.namespace === '' ? undefined : a.namespace,
      name: a.name === '' ? undefined : a.name,
    });
    return reply.code(201).send({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: { resourceAttributes: a },
      status: { allowed },
    });
  });
  app.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', async (req, reply) => {
    const user = authorizer.authenticate(req.headers.authorization);
    return reply.code(201).send({
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {},
      status: { userInfo: { username: user.name, uid: user.uid, groups: user.groups } },
    });
  });
}
