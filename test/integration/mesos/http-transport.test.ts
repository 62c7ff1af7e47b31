/**
 * Calls on kept-alive connections: a master closes an idle connection after its keep-alive
 * timeout, and a call sent on it at that moment is never read. The client sends it again instead
 * of failing a LAUNCH, REVIVE or ACKNOWLEDGE for a reason the master never saw.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postForAnswer } from '../../../pkg/mesos/http-transport.js';

const servers: http.Server[] = [];
const agents: http.Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) a.destroy();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A server that drops every connection unanswered at its second request, as a keep-alive timeout would. */
async function closingServer(): Promise<{ url: URL; bodies: string[]; dropped: () => number }> {
  const perSocket = new WeakMap<Socket, number>();
  const bodies: string[] = [];
  let dropped = 0;
  const server = http.createServer((req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    if (n === 2) {
      dropped++;
      req.socket.destroy();
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(202, { Connection: 'keep-alive' }).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/api/v1/scheduler`), bodies, dropped: () => dropped };
}

describe('a call on a kept-alive connection the master has just closed', () => {
  it('is sent again on a new connection and answered', async () => {
    const { url, bodies, dropped } = await closingServer();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const first = await postForAnswer(url, '{"type":"REVIVE"}', { agent, timeoutMs: 5000 });
    const second = await postForAnswer(url, '{"type":"LAUNCH"}', { agent, timeoutMs: 5000 });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(dropped()).toBe(1);
    expect(bodies).toEqual(['{"type":"REVIVE"}', '{"type":"LAUNCH"}']);
  });

  it('on a connection of its own, a dropped call still fails with the reason', async () => {
    const server = http.createServer((req) => req.socket.destroy());
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await expect(
      postForAnswer(new URL(`http://127.0.0.1:${port}/`), '{}', { agent: false, timeoutMs: 5000 }),
    ).rejects.toThrow(/cannot reach Mesos master at http:\/\/127\.0\.0\.1:\d+\/: socket hang up/);
  });
});
