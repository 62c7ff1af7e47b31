/**
 * One health-check attempt: HTTP GET, TCP connect or a command, against the task on this
 * machine. Mirrors Mesos's checker (src/checks/checker_process.cpp): HTTP follows redirects and
 * ignores TLS validation like its `curl -L -k`, and counts 200–399 as healthy (the `statuses`
 * field is ignored, as Mesos's built-in executors do); TCP is healthy when a connection opens;
 * a command is healthy when it exits 0. Timeouts use real timers: they bound real I/O.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import http, { type ClientRequest, type IncomingMessage, STATUS_CODES } from 'node:http';
import https from 'node:https';
import { connect } from 'node:net';
import { describeExit } from './exit-status.js';
import type { HealthProbeSpec } from './health-config.js';
import { signalGroup } from './process-group.js';

export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Where a COMMAND check runs: like the task, in its sandbox with its environment. */
export interface ProbeContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Check output is appended here, as Mesos sends it to the executor's stderr. */
  readonly stderrPath: string;
}

const OK: ProbeResult = { ok: true };
const MAX_REDIRECTS = 10;

export function runProbe(probe: HealthProbeSpec, timeoutMs: number, ctx: ProbeContext): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let cleanup = (): void => {};
    let settled = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(
            () =>
              finish({ ok: false, error: `${probe.type} health check timed out after ${timeoutMs / 1000}s` }),
            timeoutMs,
          )
        : undefined;
    // The probe's socket or process keeps the loop alive while it matters; the timer need not.
    timer?.unref();
    function finish(result: ProbeResult): void {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      cleanup();
      resolve(result);
    }
    const setCleanup = (fn: () => void): void => {
      cleanup = fn;
    };
    if (probe.type === 'HTTP') httpProbe(probe, finish, setCleanup);
    else if (probe.type === 'TCP') tcpProbe(probe, finish, setCleanup);
    else commandProbe(probe, ctx, finish, setCleanup);
  });
}

type Finish = (result: ProbeResult) => void;
type SetCleanup = (fn: () => void) => void;

function loopback(ipv6: boolean): string {
  return ipv6 ? '::1' : '127.0.0.1';
}

function httpProbe(
  probe: Extract<HealthProbeSpec, { type: 'HTTP' }>,
  finish: Finish,
  setCleanup: SetCleanup,
): void {
  const host = probe.ipv6 ? '[::1]' : '127.0.0.1';
  const get = (target: URL, redirectsLeft: number): void => {
    const onResponse = (res: IncomingMessage): void => {
      res.resume(); // the body is not looked at; drain it so the socket can close
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location !== undefined && redirectsLeft > 0) {
        get(new URL(location, target), redirectsLeft - 1);
        return;
      }
      if (status >= 200 && status < 400) finish(OK);
      else
        finish({
          ok: false,
          error: `Unexpected HTTP response code: ${status} ${STATUS_CODES[status] ?? ''}`.trim(),
        });
    };
    const req: ClientRequest =
      target.protocol === 'https:'
        ? https.get(target, { agent: false, rejectUnauthorized: false }, onResponse)
        : http.get(target, { agent: false }, onResponse);
    req.on('error', (err) => finish({ ok: false, error: `HTTP health check failed: ${err.message}` }));
    setCleanup(() => req.destroy());
  };
  get(new URL(`${probe.scheme}://${host}:${probe.port}${probe.path}`), MAX_REDIRECTS);
}

function tcpProbe(
  probe: Extract<HealthProbeSpec, { type: 'TCP' }>,
  finish: Finish,
  setCleanup: SetCleanup,
): void {
  const socket = connect({ host: loopback(probe.ipv6), port: probe.port });
  socket.once('connect', () => finish(OK));
  socket.once('error', (err) => finish({ ok: false, error: `TCP connection failed: ${err.message}` }));
  setCleanup(() => socket.destroy());
}

function commandProbe(
  probe: Extract<HealthProbeSpec, { type: 'COMMAND' }>,
  ctx: ProbeContext,
  finish: Finish,
  setCleanup: SetCleanup,
): void {
  let out: number;
  try {
    out = openSync(ctx.stderrPath, 'a');
  } catch (err) {
    finish({ ok: false, error: `Failed to open ${ctx.stderrPath}: ${(err as Error).message}` });
    return;
  }
  const [file, args] = probe.shell ? ['sh', ['-c', probe.value]] : [probe.value, probe.arguments.slice(1)];
  // Its own process group, so a timed-out check is killed with everything it started.
  const child = spawn(file, args, {
    cwd: ctx.cwd,
    env: { ...ctx.env, ...probe.env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  child.once('error', (err) =>
    finish({ ok: false, error: `Failed to run health check command: ${err.message}` }),
  );
  child.once('exit', (code, signal) => {
    finish(code === 0 ? OK : { ok: false, error: `Command ${describeExit(code, signal)}` });
  });
  setCleanup(() => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      signalGroup(child.pid, 'SIGKILL');
    }
  });
}
