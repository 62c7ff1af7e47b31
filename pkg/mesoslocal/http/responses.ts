/**
 * Plain HTTP answers the way libprocess writes them: error bodies are text/plain, 202 has an
 * empty body, 405 names the allowed method.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendText(
  res: ServerResponse,
  status: number,
  body = '',
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(body, 'utf8');
  const base: Record<string, string | number> = { 'Content-Length': bytes.length, ...headers };
  if (bytes.length > 0) base['Content-Type'] = 'text/plain; charset=utf-8';
  res.writeHead(status, base);
  res.end(bytes);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
  res.end(bytes);
}

export function methodNotAllowed(res: ServerResponse, method: string | undefined, allowed = 'POST'): void {
  sendText(res, 405, `Expecting one of { '${allowed}' }, but received '${method ?? ''}'`, { Allow: allowed });
}

/** Mesos compares the media type exactly: parameters such as `; charset=utf-8` are not accepted. */
export function contentTypeProblem(req: IncomingMessage): { status: number; message: string } | undefined {
  const type = req.headers['content-type'];
  if (type === undefined) return { status: 400, message: "Expecting 'Content-Type' to be present" };
  if (type === 'application/json') return undefined;
  if (type === 'application/x-protobuf') {
    return { status: 415, message: 'mesos-local speaks JSON only; application/x-protobuf is not supported' };
  }
  return { status: 415, message: "Expecting 'Content-Type' of application/json or application/x-protobuf" };
}

/** Whether the Accept header admits application/json (absent means anything). */
export function acceptsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const media = part.split(';')[0]?.trim().toLowerCase() ?? '';
    return media === 'application/json' || media === 'application/*' || media === '*/*';
  });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
