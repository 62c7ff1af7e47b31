/**
 * Crontab syntax check for CronJob.spec.schedule: five fields (minute hour day-of-month month
 * day-of-week) of *, n, a-b, lists and /steps, month and weekday names, or one of the @macros.
 * Validation only; computing trigger times is the cron controller's (with a cron library).
 */

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Value of names[0]: months count from 1, weekdays from 0. */
  readonly nameBase?: number;
}

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

function value(token: string, rule: FieldRule): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const i = rule.names?.indexOf(token.toUpperCase()) ?? -1;
  return i < 0 ? undefined : i + (rule.nameBase ?? 0);
}

function checkField(field: string, rule: FieldRule): string | undefined {
  for (const item of field.split(',')) {
    const [range = '', step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) {
      return `${rule.name}: bad step in "${item}"`;
    }
    if (range === '*') continue;
    const [a = '', b, more] = range.split('-');
    const lo = value(a, rule);
    const hi = b === undefined ? lo : value(b, rule);
    if (more !== undefined || lo === undefined || hi === undefined)
      return `${rule.name}: cannot parse "${item}"`;
    if (lo < rule.min || hi > rule.max || lo > hi) {
      return `${rule.name}: "${item}" is outside ${rule.min}-${rule.max}`;
    }
  }
  return undefined;
}

/** undefined if the schedule is valid, else what is wrong with it. */
export function cronScheduleProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (trimmed.startsWith('@')) return MACROS.has(trimmed) ? undefined : `unknown macro "${trimmed}"`;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  }
  for (const [i, f] of fields.entries()) {
    const rule = FIELDS[i];
    const problem = rule === undefined ? 'too many fields' : checkField(f, rule);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Whether `tz` is an IANA time zone this Node knows (it is the zone the cron controller uses). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
