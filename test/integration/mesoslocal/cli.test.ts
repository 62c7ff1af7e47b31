/**
 * `borealis mesos-local`: the options reach the master (agents, resources, attributes spread
 * over agents), one line says where it listens, and it stops when told to.
 */
import { Command } from 'commander';
import { expect, it } from 'vitest';
import { registerMesosLocal } from '../../../pkg/cli/commands/mesos-local.js';
import { rawPost } from './raw-client.js';

it('starts the master as asked, prints where it listens, and stops on the signal', async () => {
  const lines: string[] = [];
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const program = new Command().exitOverride();
  registerMesosLocal(program, { out: (line) => lines.push(line), stopped: () => stopped });
  const run = program.parseAsync(
    [
      'mesos-local',
      '--port',
      '0',
      '--agents',
      '3',
      '--agent-resources',
      'cpus:2;mem:1024;disk:100;ports:[31000-31010]',
      '--attributes',
      'rack:r1,r2;zone:a',
      '--allocation-interval',
      '50',
    ],
    { from: 'user' },
  );
  while (lines.length === 0) await new Promise((r) => setTimeout(r, 10));
  expect(lines).toHaveLength(1);
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+) \(3 agents, sim executor\)$/.exec(lines[0]!)?.[1];
  expect(url).toBeDefined();
  const state = JSON.parse((await rawPost(url!, '/master/state', '', {}, 'GET')).body) as {
    slaves: { hostname: string; attributes: Record<string, string>; resources: Record<string, unknown> }[];
  };
  expect(state.slaves.map((s) => [s.hostname, s.attributes['rack'], s.attributes['zone']])).toEqual([
    ['agent-0', 'r1', 'a'],
    ['agent-1', 'r2', 'a'],
    ['agent-2', 'r1', 'a'],
  ]);
  expect(state.slaves[0]!.resources).toMatchObject({ cpus: 2, mem: 1024, disk: 100, ports: '[31000-31010]' });
  stop();
  await run;
  await expect(rawPost(url!, '/health', '', {}, 'GET')).rejects.toThrow(); // no longer listening
});

it('rejects an unknown executor kind', async () => {
  const program = new Command().exitOverride();
  registerMesosLocal(program, { out: () => {}, stopped: () => Promise.resolve() });
  await expect(program.parseAsync(['mesos-local', '--executor', 'docker'], { from: 'user' })).rejects.toThrow(
    "--executor must be sim or process, got 'docker'",
  );
});
