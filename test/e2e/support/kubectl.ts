/** The real kubectl against a Borealis kubeconfig, with a discovery cache dir of the test's own. */
import { execFile } from 'node:child_process';

export interface Kubectl {
  run(args: readonly string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Must succeed; returns stdout. */
  ok(args: readonly string[], stdin?: string): Promise<string>;
  json<T = unknown>(args: readonly string[]): Promise<T>;
}

export function kubectlFor(kubeconfig: string, cacheDir: string): Kubectl {
  const run = (args: readonly string[], stdin?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        '/usr/bin/kubectl',
        ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args],
        { maxBuffer: 20 * 1024 * 1024 },
        (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? '');
    });
  const ok = async (args: readonly string[], stdin?: string): Promise<string> => {
    const r = await run(args, stdin);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  return {
    run,
    ok,
    json: async <T>(args: readonly string[]) => JSON.parse(await ok([...args, '-o', 'json'])) as T,
  };
}
