/**
 * The HTTP plumbing both Mesos clients share: POST a JSON body, follow the master's redirects to
 * the leader, and hand back either the whole answer or (for SUBSCRIBE) the open response stream.
 *
 * Node's `http`/`https` are used directly: the event stream must be read as raw Buffers, and
 * a master's 307 carries a protocol-relative `Location: //host:port/api/v1/scheduler`, which
 * `new URL(location, current)` resolves against the URL that answered.
 */
import http, { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { MesosConnectionError } from './errors.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Answers are buffered whole up to this (GET_TASKS at 100,000 tasks is ~60 MB), then refused. */
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;

export interface PostOptions {
  /** Extra headers (Mesos-Stream-Id, Authorization). Content-Type and Accept are always JSON. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Give up if no answer (headers) arrives within this time. */
  readonly timeoutMs: number;
  /**
   * Connection pool to use; one per client keeps call connections alive between calls. `false`
   * means a fresh connection of its own (the event stream, which holds its socket for hours).
   */
  readonly agent?: http.Agent | false | undefined;
  /** Aborts the request (and any redirect hop) when signalled. */
  readonly signal?: AbortSignal;
  /** Redirects to follow before giving up (a master names the leader in one hop). */
  readonly maxRedirects?: number;
}

export interface OpenResponse {
  readonly request: ClientRequest;
  readonly response: IncomingMessage;
  /** The URL that finally answered (the leader, after redirects). */
  readonly url: URL;
}

export interface WholeAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly url: URL;
}

/** Resolve a redirect target; handles absolute, protocol-relative and path-only Locations. */
export function resolveRedirect(current: URL, location: string): URL {
  return new URL(location, current);
}

function sendOnce(url: URL, body: string, options: PostOptions): Promise<OpenResponse> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const payload = Buffer.from(body, 'utf8');
    const request = transport.request(url, {
      method: 'POST',
      agent: options.agent,
      ...(options.signal ? { signal: options.signal } : {}),
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Content-Length': String(payload.byteLength),
        ...options.headers,
      },
    });
    request.setTimeout(options.timeoutMs, () => {
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    });
    let answered = false;
    request.once('response', (response) => {
      answered = true;
      // Past the headers, the caller owns timing (heartbeats for the stream, body reads for calls).
      request.setTimeout(0);
      resolve({ request, response, url });
    });
    // `on`, not `once`: a request destroyed later (stream closed) may emit again, and an
    // 'error' without a listener would crash the process.
    request.on('error', (err) => {
      if (!answered && staleKeepAlive(request, err)) {
        // The master closed this idle kept-alive connection as we reused it (its keep-alive
        // timeout raced our request): the request was never read. Node's documented answer is
        // to send it again, on a connection of its own.
        sendOnce(url, body, { ...options, agent: false }).then(resolve, reject);
        return;
      }
      reject(
        new MesosConnectionError(`cannot reach Mesos master at ${url.href}: ${err.message}`, url.href, err),
      );
    });
    request.end(payload);
  });
}

function staleKeepAlive(request: ClientRequest, err: Error): boolean {
  return request.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET';
}

/** POST `body`, following redirects; resolves with the open response of the final hop. */
export async function postFollowingRedirects(
  url: URL,
  body: string,
  options: PostOptions,
): Promise<OpenResponse> {
  const maxRedirects = options.maxRedirects ?? 5;
  let target = url;
  for (let hop = 0; ; hop++) {
    const answer = await sendOnce(target, body, options);
    const location = answer.response.headers.location;
    if (!REDIRECT_STATUSES.has(answer.response.statusCode ?? 0) || location === undefined) return answer;
    answer.response.resume();
    if (hop >= maxRedirects) {
      throw new MesosConnectionError(
        `too many redirects (more than ${maxRedirects}) starting at ${url.href}; last Location: ${location}`,
        target.href,
      );
    }
    target = resolveRedirect(target, location);
  }
}

/** Read a response body to the end as UTF-8 text (bounded). */
export function readText(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_ANSWER_BYTES) parts.push(chunk);
      // Cut short, the answer would fail later as "not JSON" with no hint why.
      else response.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
    });
    response.once('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    response.on('error', reject);
    response.once('aborted', () => reject(new Error('answer aborted')));
  });
}

/** POST `body`, follow redirects and read the whole answer. */
export async function postForAnswer(url: URL, body: string, options: PostOptions): Promise<WholeAnswer> {
  const { response, url: finalUrl } = await postFollowingRedirects(url, body, options);
  try {
    const text = await readText(response);
    return { status: response.statusCode ?? 0, headers: response.headers, body: text, url: finalUrl };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new MesosConnectionError(`lost the answer from ${finalUrl.href}: ${message}`, finalUrl.href, err);
  }
}
