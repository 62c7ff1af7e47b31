/**
 * The CLI's agent resource and attribute formats, and that they shape the agents' offers.
 */
import { describe, expect, it } from 'vitest';
import { parseAgentResources, parseAttributes } from '../../../pkg/mesoslocal/agent-spec.js';
import { startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { FRAMEWORK, subscribe, takeOffers } from './raw-client.js';

describe('agent spec formats', () => {
  it('parses Mesos-style resources, including several port ranges', () => {
    expect(
      parseAgentResources(
        'cpus:4;mem:8192;disk:20000;ports:[31000-32000, 33000-33010];gpus:1;revocable_cpus:2',
      ),
    ).toEqual({
      cpus: 4,
      mem: 8192,
      disk: 20000,
      ports: [
        { begin: 31000, end: 32000 },
        { begin: 33000, end: 33010 },
      ],
      gpus: 1,
      revocableCpus: 2,
    });
    expect(() => parseAgentResources('cpus:lots')).toThrow("resource 'cpus' needs a number");
    expect(() => parseAgentResources('ports:31000-32000')).toThrow('ports must look like [31000-32000]');
    expect(() => parseAgentResources('bananas:3')).toThrow("unknown resource 'bananas'");
  });

  it('parses attributes; comma lists become value lists', () => {
    expect(parseAttributes('rack:r1,r2;zone:a;dedicated:web')).toEqual({
      rack: ['r1', 'r2'],
      zone: 'a',
      dedicated: 'web',
    });
    expect(() => parseAttributes('rack')).toThrow("attribute 'rack' must be name:value");
  });

  it('spreads agents over list values (agent i gets value i mod n) and offers revocable cpus only when capable', async () => {
    const master = await startMesosLocal({
      agents: 3,
      allocationIntervalMs: 20,
      attributes: parseAttributes('rack:r1,r2;zone:a'),
      agentResources: {
        ...parseAgentResources('cpus:2;mem:512;disk:10;ports:[31000-31001]'),
        revocableCpus: 1,
      },
    });
    const plain = await subscribe(master.url, FRAMEWORK);
    try {
      const offers = (await takeOffers(plain)).sort((a, b) => a.hostname.localeCompare(b.hostname));
      const racks = offers.map((o) => o.attributes!.find((a) => a.name === 'rack')!.text!.value);
      expect(racks).toEqual(['r1', 'r2', 'r1']);
      expect(offers[0]!.resources!.some((r) => r.revocable !== undefined)).toBe(false);
      plain.close();
      await plain.ended;
      const capable = await subscribe(master.url, {
        ...FRAMEWORK,
        capabilities: [{ type: 'REVOCABLE_RESOURCES' }],
      });
      const revocable = (await takeOffers(capable))[0]!.resources!.find((r) => r.revocable !== undefined);
      expect(revocable).toMatchObject({ name: 'cpus', scalar: { value: 1 } });
      capable.close();
    } finally {
      await master.stop();
    }
  });
});
