/**
 * Wire behaviour of POST /api/v1/scheduler against the reference: status codes, error texts,
 * headers, RecordIO framing and event shapes (including where the Mesos docs are wrong).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import {
  FRAMEWORK,
  isType,
  isUpdate,
  launchCall,
  rawPost,
  subscribe,
  takeOffers,
  taskInfo,
} from './raw-client.js';

let master: MesosLocal;

beforeAll(async () => {
  master = await startMesosLocal({ agents: 2, allocationIntervalMs: 30, heartbeatIntervalSeconds: 0.2 });
});
afterAll(() => master.stop());

const json = { 'Content-Type': 'application/json' };
const post = (body: unknown, headers: Record<string, string> = json) =>
  rawPost(master.url, '/api/v1/scheduler', JSON.stringify(body), headers);

describe('SUBSCRIBE stream', () => {
  it('answers 200, chunked JSON with a Mesos-Stream-Id, SUBSCRIBED and HEARTBEAT back to back', async () => {
    const sub = await subscribe(master.url, FRAMEWORK);
    try {
      expect(sub.status).toBe(200);
      expect(sub.headers['content-type']).toBe('application/json');
      expect(sub.headers['transfer-encoding']).toBe('chunked');
      expect(sub.streamId).toMatch(/^[0-9a-f-]{36}$/);
      await sub.waitFor(isType('HEARTBEAT'));
      expect(sub.events[0]?.type).toBe('SUBSCRIBED');
      expect(sub.events[1]?.type).toBe('HEARTBEAT');
      // Both records arrive in the first chunk, as Mesos sends them.
      expect(sub.chunks[0]?.toString()).toMatch(
        /^\d+\n\{"type":"SUBSCRIBED".*\}20\n\{"type":"HEARTBEAT"\}$/s,
      );
      const subscribed = sub.events[0]!.subscribed!;
      expect(subscribed.framework_id.value).toMatch(new RegExp(`^${master.state.masterId}-\\d{4}$`));
      expect(subscribed.heartbeat_interval_seconds).toBe(0.2);
      expect(subscribed.master_info?.id).toBe(master.state.masterId);
      expect(subscribed.master_info?.port).toBe(master.port);
    } finally {
      sub.close();
    }
  });

  it('sends a HEARTBEAT every interval', async () => {
    const sub = await subscribe(master.url, FRAMEWORK);
    try {
      await sub.waitFor(isType('HEARTBEAT'), 2000, 2);
      await sub.waitFor(isType('HEARTBEAT'), 2000, sub.events.length);
      expect(sub.events.filter((e) => e.type === 'HEARTBEAT').length).toBeGreaterThanOrEqual(3);
    } finally {
      sub.close();
    }
  });

  it('wraps offers in offers.offers and frames records by UTF-8 bytes, not characters', async () => {
    const sub = await subscribe(master.url, FRAMEWORK);
    try {
      const offers = await takeOffers(sub);
      const offer = offers[0]!;
      expect(offer.id.value).toMatch(new RegExp(`^${master.state.masterId}-O\\d+$`));
      expect(offer.agent_id.value).toMatch(new RegExp(`^${master.state.masterId}-S\\d+$`));
      expect(offer.resources?.map((r) => r.name).sort()).toEqual(['cpus', 'disk', 'mem', 'ports']);
      expect(offer.attributes?.find((a) => a.name === 'host')?.text?.value).toBe(offer.hostname);
      // A task id with non-ASCII characters comes back in TASK_ERROR's message and task_id.
      const id = 'tâche-été-✓';
      const from = sub.events.length;
      // Neither command nor executor: the master answers TASK_ERROR naming the task.
      const { command: _none, ...commandless } = taskInfo(offer, id);
      const res = await sub.call('ACCEPT', launchCall([offer], [commandless]));
      expect(res.status).toBe(202);
      expect(res.body).toBe('');
      const error = await sub.waitFor(isUpdate(id, 'TASK_ERROR'), 5000, from);
      expect(error.update?.status.task_id.value).toBe(id);
      const raw = sub.records.find((r) => r.toString('utf8').includes(id))!;
      expect(raw.length).toBeGreaterThan(raw.toString('utf8').length);
      const chunkText = Buffer.concat(sub.chunks).toString('utf8');
      expect(chunkText).toContain(`${raw.length}\n${raw.toString('utf8')}`);
    } finally {
      sub.close();
    }
  });
});

describe('status codes and error texts', () => {
  it('405 for other methods, naming POST', async () => {
    const res = await rawPost(master.url, '/api/v1/scheduler', '', {}, 'GET');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('POST');
    expect(res.body).toBe("Expecting one of { 'POST' }, but received 'GET'");
  });

  it('400 without Content-Type; 415 for a Content-Type with parameters', async () => {
    const missing = await rawPost(master.url, '/api/v1/scheduler', '{}', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toBe("Expecting 'Content-Type' to be present");
    const charset = await post({ type: 'SUBSCRIBE' }, { 'Content-Type': 'application/json; charset=utf-8' });
    expect(charset.status).toBe(415);
    expect(charset.body).toBe("Expecting 'Content-Type' of application/json or application/x-protobuf");
  });

  it('400 for bad JSON, missing sub-messages and missing required fields', async () => {
    const bad = await rawPost(master.url, '/api/v1/scheduler', '{nope', json);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/^Failed to parse body into JSON: /);
    const noKill = await post({ framework_id: { value: 'x' }, type: 'KILL' });
    expect(noKill.status).toBe(400);
    expect(noKill.body).toBe("Failed to validate scheduler::Call: Expecting 'kill' to be present");
    const noFrameworkId = await post({ type: 'REVIVE' });
    expect(noFrameworkId.body).toBe(
      "Failed to validate scheduler::Call: Expecting 'framework_id' to be present",
    );
    const noUser = await post({ type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x' } } });
    expect(noUser.status).toBe(400);
    expect(noUser.body).toBe(
      'Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info.user',
    );
    const differs = await post({
      type: 'SUBSCRIBE',
      framework_id: { value: 'a' },
      subscribe: { framework_info: { ...FRAMEWORK, id: { value: 'b' } } },
    });
    expect(differs.status).toBe(400);
    expect(differs.body).toBe(
      "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'",
    );
  });

  it('400 for SUBSCRIBE with a stream id; 406 when Accept excludes JSON', async () => {
    const withId = await post(
      { type: 'SUBSCRIBE', subscribe: { framework_info: FRAMEWORK } },
      { ...json, 'Mesos-Stream-Id': 'abc' },
    );
    expect(withId.status).toBe(400);
    expect(withId.body).toBe("Subscribe calls should not include the 'Mesos-Stream-Id' header");
    const accept = await post(
      { type: 'SUBSCRIBE', subscribe: { framework_info: FRAMEWORK } },
      { ...json, Accept: 'text/html' },
    );
    expect(accept.status).toBe(406);
  });

  it('400 unknown framework, 400 missing or wrong stream id, 403 once disconnected', async () => {
    const unknown = await post({ framework_id: { value: 'nope' }, type: 'REVIVE' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toBe('Framework cannot be found');

    const sub = await subscribe(master.url, FRAMEWORK);
    const fid = sub.frameworkId;
    const noStream = await post({ framework_id: { value: fid }, type: 'REVIVE' });
    expect(noStream.status).toBe(400);
    expect(noStream.body).toBe("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    const wrong = await post(
      { framework_id: { value: fid }, type: 'REVIVE' },
      { ...json, 'Mesos-Stream-Id': 'wrong' },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body).toBe(
      `The stream ID 'wrong' included in this request didn't match the stream ID currently associated with framework ID ${fid}`,
    );
    const ok = await sub.call('REVIVE');
    expect(ok.status).toBe(202);
    sub.close();
    await sub.ended;
    await new Promise((r) => setTimeout(r, 50));
    const gone = await post(
      { framework_id: { value: fid }, type: 'REVIVE' },
      { ...json, 'Mesos-Stream-Id': sub.streamId },
    );
    expect(gone.status).toBe(403);
    expect(gone.body).toBe('Framework is not subscribed');
  });

  it('400 for an ACKNOWLEDGE whose uuid is not 16 bytes; 200 for UPDATE_FRAMEWORK; 501 for UNKNOWN', async () => {
    const sub = await subscribe(master.url, FRAMEWORK);
    try {
      const ack = await sub.call('ACKNOWLEDGE', {
        acknowledge: {
          agent_id: { value: 'a' },
          task_id: { value: 't' },
          uuid: Buffer.alloc(8).toString('base64'),
        },
      });
      expect(ack.status).toBe(400);
      expect(ack.body).toBe('Failed to validate scheduler::Call: Not a valid UUID');
      const update = await sub.call('UPDATE_FRAMEWORK', {
        update_framework: {
          framework_info: { ...FRAMEWORK, id: { value: sub.frameworkId }, name: 'renamed' },
        },
      });
      expect(update.status).toBe(200);
      const mismatch = await sub.call('UPDATE_FRAMEWORK', {
        update_framework: { framework_info: { ...FRAMEWORK, id: { value: 'someone-else' } } },
      });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body).toBe(
        "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'",
      );
      const unknown = await sub.call('UNKNOWN');
      expect(unknown.status).toBe(501);
    } finally {
      sub.close();
    }
  });

  it('rejects a whole ACCEPT with 400 when a TaskInfo lacks a required field', async () => {
    const sub = await subscribe(master.url, FRAMEWORK);
    try {
      const offer = (await takeOffers(sub))[0]!;
      const { name: _dropped, ...nameless } = taskInfo(offer, 'nameless');
      const res = await sub.call('ACCEPT', launchCall([offer], [nameless as never]));
      expect(res.status).toBe(400);
      expect(res.body).toBe(
        'Failed to convert JSON into Call protobuf: Missing required fields: accept.operations[0].launch.task_infos[0].name',
      );
      const noEnd = taskInfo(offer, 'no-end', {
        resources: [{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000 } as never] } }],
      });
      const ranges = await sub.call('ACCEPT', launchCall([offer], [noEnd]));
      expect(ranges.status).toBe(400);
      expect(ranges.body).toBe(
        'Failed to convert JSON into Call protobuf: Missing required fields: accept.operations[0].launch.task_infos[0].resources[0].ranges.range[0].end',
      );
    } finally {
      sub.close();
    }
  });

  it('nests ERROR messages under error.message and closes the stream of a removed framework', async () => {
    const sub = await subscribe(master.url, FRAMEWORK);
    const fid = sub.frameworkId;
    expect((await sub.call('TEARDOWN')).status).toBe(202);
    await sub.ended;
    const again = await subscribe(master.url, FRAMEWORK, { frameworkId: fid });
    await again.ended;
    expect(again.status).toBe(200);
    expect(again.events).toEqual([{ type: 'ERROR', error: { message: 'Framework has been removed' } }]);
  });
});

describe('operator API /api/v1', () => {
  it('checks method and Content-Type like the scheduler endpoint, answers GET_* with JSON', async () => {
    expect((await rawPost(master.url, '/api/v1', '', {}, 'GET')).status).toBe(405);
    const charset = await rawPost(master.url, '/api/v1', '{"type":"GET_AGENTS"}', {
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(charset.status).toBe(415);
    const agents = await rawPost(master.url, '/api/v1', '{"type":"GET_AGENTS"}');
    expect(agents.status).toBe(200);
    expect(agents.headers['content-type']).toBe('application/json');
    const body = JSON.parse(agents.body) as {
      type: string;
      get_agents: { agents: { agent_info: { id: unknown } }[] };
    };
    expect(body.type).toBe('GET_AGENTS');
    expect(body.get_agents.agents).toHaveLength(2);
    const missing = await rawPost(master.url, '/api/v1', '{"type":"START_MAINTENANCE"}');
    expect(missing.status).toBe(400);
    expect(missing.body).toBe("Failed to validate master::Call: Expecting 'start_maintenance' to be present");
  });
});

describe('other endpoints', () => {
  it('serves /health and /master/state', async () => {
    const health = await rawPost(master.url, '/health', '', {}, 'GET');
    expect(health.status).toBe(200);
    const state = await rawPost(master.url, '/master/state', '', {}, 'GET');
    expect(state.status).toBe(200);
    const body = JSON.parse(state.body) as {
      slaves: { id: string; resources: { cpus: number } }[];
      id: string;
    };
    expect(body.id).toBe(master.state.masterId);
    expect(body.slaves).toHaveLength(2);
    expect(body.slaves[0]?.resources.cpus).toBe(4);
  });
});
