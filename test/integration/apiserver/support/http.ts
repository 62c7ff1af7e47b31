/** Plain HTTP against the API server, for what kubectl never sends (bad input, raw watches). */
export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (plain text endpoints); callers read `text`
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** What the tests read from watch events (objects, bookmarks, Status errors, Tables). */
export interface WatchedEvent {
  type: string;
  object: {
    kind?: string;
    metadata: { name?: string; resourceVersion?: string };
    code?: number;
    reason?: string;
    rows?: { cells: unknown[] }[];
    columnDefinitions?: unknown[];
  };
}

/** Reads newline-delimited watch events until `count` arrived or the stream ended. */
export async function watchEvents(
  url: string,
  count: number,
  opts: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<WatchedEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 5000);
  const events: WatchedEvent[] = [];
  try {
    const res = await fetch(url, { signal: controller.signal, headers: opts.headers ?? {} });
    const reader = res.body?.getReader();
    let buffered = '';
    while (reader && events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += Buffer.from(value).toString();
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        events.push(JSON.parse(buffered.slice(0, nl)) as WatchedEvent);
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
      }
    }
  } catch (err) {
    if (!(err instanceof Error && err.name === 'AbortError')) throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

export function jobBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'borealis.dev/v1',
    kind: 'Job',
    metadata: { name, ...((extra['metadata'] as object | undefined) ?? {}) },
    spec: {
      environment: 'prod',
      instances: 1,
      task: { command: 'sleep 1', resources: { cpus: 0.1, ramMb: 16, diskMb: 16 } },
      ...((extra['spec'] as object | undefined) ?? {}),
    },
  };
}
