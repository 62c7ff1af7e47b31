/**
 * Sending a body with an exact Content-Type. Fastify rewrites JSON media types it serializes
 * (quoting parameters, adding a charset); kubectl matches `as=Table` and
 * `as=APIGroupDiscoveryList` literally enough that we send pre-serialized bytes instead.
 */
import type { FastifyReply } from 'fastify';

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function sendAs(reply: FastifyReply, contentType: string, body: unknown): FastifyReply {
  return reply.header('Content-Type', contentType).send(Buffer.from(JSON.stringify(body)));
}
