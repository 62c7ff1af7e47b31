/**
 * Process-group helpers. Every task runs as the leader of its own process group (spawned
 * detached, so setsid), which is how signals reach its children and grandchildren without a
 * cgroup. Processes that leave the group themselves (setsid, double-fork daemons) escape.
 */
import { readdir, readFile } from 'node:fs/promises';

/** Send `signal` to every process in group `pgid`; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * Pids of the processes of group `pgid` that are still alive. Zombies do not count: orphaned
 * grandchildren are re-parented to PID 1, which may never reap them (it does not in our CI
 * containers), so `kill(-pgid, 0)` alone would report dead groups as alive forever.
 */
export async function liveGroupMembers(pgid: number): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return groupExistsBySignal(pgid) ? [pgid] : [];
  }
  const pids = entries.filter((e) => /^\d+$/.test(e));
  const members: number[] = [];
  // In batches, so a busy machine does not cost one open file per process at once.
  for (let i = 0; i < pids.length; i += 32) {
    const batch = pids.slice(i, i + 32);
    const live = await Promise.all(batch.map((pid) => isLiveMember(pid, pgid)));
    batch.forEach((pid, j) => {
      if (live[j]) members.push(Number(pid));
    });
  }
  return members;
}

async function isLiveMember(pid: string, pgid: number): Promise<boolean> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Gone while we looked; any other failure (EMFILE...) must not pass for an empty group.
    return !(code === 'ENOENT' || code === 'ESRCH');
  }
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so cut at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X';
}

function groupExistsBySignal(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolve once no live process is left in group `pgid`, re-sending SIGKILL on each poll so
 * children forked in the meantime die too. Resolves false if some survive `timeoutMs`.
 */
export async function killGroupAndWait(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let pause = 5;
  for (;;) {
    signalGroup(pgid, 'SIGKILL');
    if ((await liveGroupMembers(pgid)).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 100);
  }
}
