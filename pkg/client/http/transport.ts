/**
 * HTTP(S) requests to a Borealis (or any Kubernetes-dialect) API server with a bearer token and
 * the server's CA, keep-alive, JSON in and out. A non-2xx answer becomes a BorealisError whose
 * code comes from the Status reason, so callers see the same errors as in-process.
 */
import {
  type Agent as HttpAgent,
  Agent as HttpAgentClass,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgentClass, request as httpsRequest } from 'node:https';
import { BorealisError, type ErrorCause, type ErrorCode, ErrorCodes } from '../../errors/index.js';
import type { Connection } from '../kubeconfig.js';

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
}

interface StatusBody {
  readonly kind?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly code?: number;
  readonly details?: { readonly causes?: readonly { reason?: string; message?: string; field?: string }[] };
}

function codeFor(status: number, reason: string | undefined): ErrorCode {
  for (const [code, info] of Object.entries(ErrorCodes))
    if (reason && info.reason === reason) return code as ErrorCode;
  for (const [code, info] of Object.entries(ErrorCodes)) if (info.http === status) return code as ErrorCode;
  return status >= 500 ? 'Internal' : 'BadRequest';
}

export function errorFromStatus(status: number, text: string): BorealisError {
  let body: StatusBody | undefined;
  try {
    body = JSON.parse(text) as StatusBody;
  } catch {
    body = undefined;
  }
  const causes: ErrorCause[] = (body?.details?.causes ?? []).map((c) => ({
    reason: c.reason ?? 'FieldValueInvalid',
    message: c.message ?? '',
    ...(c.field ? { field: c.field } : {}),
  }));
  return new BorealisError(codeFor(status, body?.reason), body?.message ?? (text || `HTTP ${status}`), {
    causes,
  });
}

/**
 * Connections for ordinary requests: a burst of writes (a controller catching up on thousands
 * of tasks) queues for these instead of opening a TLS connection per request. Watches hold their
 * connection for as long as they last, so they get an agent of their own, unbounded.
 */
const MAX_REQUEST_CONNECTIONS = 32;

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class Transport {
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly watchAgent: HttpAgent;

  constructor(
    private readonly conn: Connection,
    /** Connections for ordinary requests (a load generator wants as many as it has in flight). */
    maxRequestConnections = MAX_REQUEST_CONNECTIONS,
  ) {
    this.base = new URL(conn.server);
    const agentFor = (maxSockets: number): HttpAgent =>
      this.base.protocol === 'https:'
        ? new HttpsAgentClass({
            keepAlive: true,
            maxSockets,
            ...(conn.ca ? { ca: conn.ca } : {}),
            rejectUnauthorized: !conn.insecureSkipTlsVerify,
          })
        : new HttpAgentClass({ keepAlive: true, maxSockets });
    this.agent = agentFor(maxRequestConnections);
    this.watchAgent = agentFor(Number.POSITIVE_INFINITY);
  }

  /** Start a request and hand back the response stream (`long`: a watch, on its own agent). */
  open(spec: RequestSpec, long = false): Promise<IncomingMessage> {
    const url = new URL(spec.path, this.base);
    for (const [k, v] of Object.entries(spec.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.conn.token) headers['Authorization'] = `Bearer ${this.conn.token}`;
    if (payload !== undefined) {
      headers['Content-Type'] = spec.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const agent = long ? this.watchAgent : this.agent;
      const req = send(url, { method: spec.method, headers, agent }, resolve);
      req.on('error', (err) =>
        reject(
          new BorealisError('ServiceUnavailable', `${spec.method} ${url.pathname}: ${err.message}`, {
            cause: err,
          }),
        ),
      );
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** A whole request: parsed JSON on 2xx, BorealisError otherwise. */
  async json<T>(spec: RequestSpec): Promise<T> {
    const text = await this.text(spec);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A whole request's text on 2xx (e.g. /metrics), BorealisError otherwise. */
  async text(spec: RequestSpec): Promise<string> {
    const res = await this.open(spec);
    const text = await readText(res);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw errorFromStatus(status, text);
    return text;
  }

  /**
   * A whole request whose answer is read to the end but not parsed (a load generator times the
   * server, not its own JSON parsing); BorealisError on a non-2xx answer. Resolves with the size.
   */
  async drain(spec: RequestSpec): Promise<number> {
    const res = await this.open(spec);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw errorFromStatus(status, await readText(res));
    let bytes = 0;
    for await (const chunk of res) bytes += (chunk as Buffer).length;
    return bytes;
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}
