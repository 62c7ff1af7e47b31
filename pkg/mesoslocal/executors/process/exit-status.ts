/**
 * The messages Mesos's command executor puts on a task's terminal update ("Command exited with
 * status 1", "Command terminated with signal Terminated"). Mesos builds them from strsignal(3),
 * so signals are described with glibc's texts, not Node's "SIGTERM" names.
 */

const SIGNAL_TEXT: Readonly<Record<string, string>> = {
  SIGHUP: 'Hangup',
  SIGINT: 'Interrupt',
  SIGQUIT: 'Quit',
  SIGILL: 'Illegal instruction',
  SIGTRAP: 'Trace/breakpoint trap',
  SIGABRT: 'Aborted',
  SIGBUS: 'Bus error',
  SIGFPE: 'Floating point exception',
  SIGKILL: 'Killed',
  SIGUSR1: 'User defined signal 1',
  SIGSEGV: 'Segmentation fault',
  SIGUSR2: 'User defined signal 2',
  SIGPIPE: 'Broken pipe',
  SIGALRM: 'Alarm clock',
  SIGTERM: 'Terminated',
  SIGSTKFLT: 'Stack fault',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'File size limit exceeded',
  SIGVTALRM: 'Virtual timer expired',
  SIGPROF: 'Profiling timer expired',
  SIGIO: 'I/O possible',
  SIGPWR: 'Power failure',
  SIGSYS: 'Bad system call',
};

/** strsignal(3)-style description of a Node signal name. */
export function describeSignal(signal: NodeJS.Signals): string {
  return SIGNAL_TEXT[signal] ?? signal;
}

/** "exited with status N" / "terminated with signal X", as Mesos's WSTRINGIFY. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `terminated with signal ${describeSignal(signal)}`;
  return `exited with status ${code ?? 'unknown'}`;
}
