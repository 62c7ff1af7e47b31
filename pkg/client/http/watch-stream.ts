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
  res.on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
      if (!line || ended || isClosed()) continue;
      let event: { type: string; object: unknown };
      try {
        event = JSON.parse(line) as { type: string; object: unknown };
      } catch {
        end(new BorealisError('Internal', `watch stream sent a line that is not JSON: ${line.slice(0, 80)}`));
        return;
      }
      if (event.type === 'ERROR') {
        const status = event.object as { code?: number };
        end(errorFromStatus(status.code ?? 500, JSON.stringify(event.object)));
        return;
      }
      handler.onEvent(event.type as WatchEventType, event.object as T);
    }
  });
  res.on('end', () =>
    end(new BorealisError('ServiceUnavailable', 'watch stream ended; resume from the last resourceVersion')),
  );
  res.on('error', (err) =>
    end(new BorealisError('ServiceUnavailable', `watch stream failed: ${err.message}`, { cause: err })),
  );
}
