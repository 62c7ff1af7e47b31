/**
 * Shared pieces of the process-executor tests: task specs with their own temporary sandbox,
 * a recorder of the executor's reports, and independent ways to look at what is still running
 * (ps, TCP, HTTP) so the tests do not trust the executor's own bookkeeping.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorReport, ExecutorTaskSpec } from '../../../pkg/mesoslocal/executors/types.js';

const sandboxRoots: string[] = [];

/** Remove the temporary sandboxes this test file created (call from afterAll). */
export function removeSandboxes(): void {
  for (const root of sandboxRoots.splice(0)) rmSync(root, { recursive: true, force: true });
}

export function taskSpec(
  overrides: Partial<ExecutorTaskSpec> & Pick<ExecutorTaskSpec, 'command'>,
): ExecutorTaskSpec {
  const taskId = overrides.taskId ?? `task-${randomUUID()}`;
  const root = mkdtempSync(join(tmpdir(), 'borealis-exec-'));
  sandboxRoots.push(root);
  return {
    taskId,
    agentId: 'agent-S1',
    hostname: '127.0.0.1',
    env: {},
    ports: [],
    sandboxDir: join(root, taskId),
    labels: {},
    killGracePeriodMs: 3000,
    ...overrides,
  };
}

/** Collects reports and waits for the one a test cares about. */
export class Reports {
  readonly all: ExecutorReport[] = [];
  private waiters: { match: (r: ExecutorReport) => boolean; resolve: (r: ExecutorReport) => void }[] = [];

  readonly push = (report: ExecutorReport): void => {
    this.all.push(report);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(report)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(report);
      }
    }
  };

  states(): string[] {
    return this.all.map((r) =>
      r.healthy === undefined ? r.state : `${r.state}(${r.healthy ? 'healthy' : 'unhealthy'})`,
    );
  }

  /** The first report (already received or future) matching `match`. */
  waitFor(match: (r: ExecutorReport) => boolean, timeoutMs = 10_000): Promise<ExecutorReport> {
    const seen = this.all.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching report; got ${this.states().join(', ')}`)),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  waitForState(state: ExecutorReport['state'], timeoutMs?: number): Promise<ExecutorReport> {
    return this.waitFor((r) => r.state === state, timeoutMs);
  }

  terminal(timeoutMs?: number): Promise<ExecutorReport> {
    return this.waitFor((r) => ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED'].includes(r.state), timeoutMs);
  }
}

/** Live (non-zombie) processes of group `pgid`, as `ps` sees them. */
export function liveProcessesInGroup(pgid: number): string[] {
  const out = execFileSync('ps', ['-e', '-o', 'pgid=,stat=,pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, stat]) => Number(group) === pgid && stat !== undefined && !stat.startsWith('Z'))
    .map((fields) => fields.slice(3).join(' '));
}

/** True when process `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** Wait until a command line starting with `prefix` runs in group `pgid` (e.g. past a `trap`). */
export function waitForProcess(pgid: number, prefix: string, count = 1): Promise<void> {
  return eventually(() => liveProcessesInGroup(pgid).filter((p) => p.startsWith(prefix)).length >= count);
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Status code of GET http://127.0.0.1:`port``path`. */
export function httpStatus(port: number, path = '/'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
}

/** Poll `probe` until it returns true, or fail after `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
