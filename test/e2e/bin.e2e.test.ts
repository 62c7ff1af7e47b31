/**
 * The `borealis` bin runs as an executable (as npm links it): its shebang starts node with the
 * flags the control plane is tuned for (see pkg/cli/main.ts), and a system without `env -S` would
 * fail here rather than on a user's first run.
 */
import { execFile } from 'node:child_process';
import { chmod, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/pkg/cli/main.js', import.meta.url));

describe('the borealis bin', () => {
  it('runs directly through its shebang, with the tuned node flags', async () => {
    await chmod(MAIN, 0o755); // npm sets this when it links the bin; tsc's output is not executable
    const version = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ).version;
    const { stdout } = await promisify(execFile)(MAIN, ['--version'], { timeout: 20_000 });
    expect(stdout.trim()).toBe(version);
    // The flag reached node: a child started the same way reports it in execArgv.
    const probe = await promisify(execFile)('/usr/bin/env', [
      '-S',
      (await readFile(MAIN, 'utf8')).split('\n', 1)[0]!.replace(/^#!\/usr\/bin\/env -S /, ''),
      '-e',
      'console.log(JSON.stringify(process.execArgv))',
    ]);
    expect(JSON.parse(probe.stdout)).toContain('--max-semi-space-size=64');
  });
});
