/**
 * A Kubernetes watch over HTTP: newline-delimited JSON events ({type, object}) on a chunked
 * response. ERROR events carry a Status (410 Expired → BorealisError Expired). The stream ending
 * is reported as an error too, so the caller (an informer) resumes or re-lists.
 */
import type { IncomingMessage } from 'node:http';
import { BorealisError } from '../../errors/index.js';
import type { WatchEventType, WatchHandler } from '../types.js';
import { errorFromStatus } from './transport.js';

export function consumeWatch<T>(
  res: IncomingMessage,
  handler: WatchHandler<T>,
  isClosed: () => boolean,
): void {
  let buffered = '';
  let ended = false;
  const end = (err: Error): void => {
    if (ended || isClosed()) return;
    ended = true;
    res.destroy();
    handler.onError(err);
  };
  res.setEncoding('utf8');
  const onLine = (raw: string): boolean => {
    const line = raw.trim();
    if (!line || ended || isClosed()) return true;
    let event: { type: string; object: unknown };
    try {
      event = JSON.parse(line) as { type: string; object: unknown };
    } catch {
      end(new BorealisError('Internal', `watch stream sent a line that is not JSON: ${line.slice(0, 80)}`));
      return false;
    }
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number };
      end(errorFromStatus(status.code ?? 500, JSON.stringify(event.object)));
      return false;
    }
    handler.onEvent(event.type as WatchEventType, event.object as T);
    return true;
  };
  // Lines are cut out of each chunk by position: a chunk can hold thousands of events when the
  // reader falls behind, and re-scanning or re-slicing the remainder per line made that quadratic
  // (a watcher that fell behind never caught up).
  res.on('data', (chunk: string) => {
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      buffered += chunk;
      return;
    }
    let start = 0;
    while (nl >= 0) {
      const part = chunk.slice(start, nl);
      const line = buffered.length > 0 ? buffered + part : part;
      buffered = '';
      if (!onLine(line)) return;
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    buffered = chunk.slice(start);
  });
  res.on('end', () =>
    end(new BorealisError('ServiceUnavailable', 'watch stream ended; resume from the last resourceVersion')),
  );
  res.on('error', (err) =>
    end(new BorealisError('ServiceUnavailable', `watch stream failed: ${err.message}`, { cause: err })),
  );
}
