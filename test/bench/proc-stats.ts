/** What Linux says about a process (via /proc): peak and current RSS, and CPU time used. */
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times; 100 on every Linux we run on (USER_HZ). */
const TICKS_PER_SECOND = 100;

function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  if (!m?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

/** Peak resident set size so far (VmHWM), in MiB. */
export function peakRssMb(pid: number): number {
  return Math.round(statusField(pid, 'VmHWM'));
}

/** Resident set size now (VmRSS), in MiB. */
export function rssMb(pid: number): number {
  return Math.round(statusField(pid, 'VmRSS'));
}

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the state field.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
