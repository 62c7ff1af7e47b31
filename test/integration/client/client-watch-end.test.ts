/**
 * When the server ends a watch (here: it shuts down), both clients tell the handler through
 * onError with ServiceUnavailable, so an informer resumes rather than waiting forever on a dead
 * watch; and a watch the caller closed hears nothing more.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { JOBS } from '../../../pkg/client/refs.js';
import { isBorealisError } from '../../../pkg/errors/index.js';
import { type Job, job, record } from './support/jobs.js';
import { startTestServer, type TestServer } from './support/servers.js';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(async () => {
  await ts?.close();
});

test('both clients report a watch the server ended; a closed watch stays silent', async () => {
  const http = ts.clients.http.resource<Job>(JOBS);
  const inProcess = ts.clients.inProcess.resource<Job>(JOBS);
  const { resourceVersion } = await http.list('default');
  const watches = [record(http, resourceVersion), record(inProcess, resourceVersion)];
  const closedEarly = [record(http, resourceVersion), record(inProcess, resourceVersion)];
  await inProcess.create(job('ending'));
  for (const w of [...watches, ...closedEarly]) expect(await w.until(1)).toEqual(['ADDED:ending:1']);
  for (const w of closedEarly) w.stream.close();
  await http.patch('default', 'ending', { spec: { instances: 2 } });
  for (const w of watches) await w.until(2);

  await ts.server.close();
  for (const w of watches) {
    const err = await w.error();
    expect(isBorealisError(err, 'ServiceUnavailable')).toBe(true);
  }
  // Both clients have reported the end on the open watches; the closed ones must have said nothing.
  for (const w of closedEarly) {
    expect(w.events).toEqual(['ADDED:ending:1']);
    expect(w.failure()).toBeUndefined();
  }
  await ts.close();
});

test('closing the in-process client closes its watches, which then hear nothing', async () => {
  const other = await startTestServer();
  try {
    const jobs = other.clients.inProcess.resource<Job>(JOBS);
    const w = record(jobs, '0');
    await jobs.create(job('before-close'));
    expect(await w.until(1)).toEqual(['ADDED:before-close:1']);
    await other.clients.inProcess.close();
    await jobs.create(job('after-close'));
    // The HTTP client sees the write, so the watch would have had time to deliver it.
    await expect
      .poll(
        async () =>
          (await other.clients.http.resource<Job>(JOBS).get('default', 'after-close'))?.metadata.name,
      )
      .toBe('after-close');
    await new Promise((r) => setTimeout(r, 50));
    expect(w.events).toEqual(['ADDED:before-close:1']);
    expect(w.failure()).toBeUndefined();
  } finally {
    await other.close();
  }
});
