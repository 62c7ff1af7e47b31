/**
 * Integer range sets (port ranges), always kept sorted and merged so that comparison and
 * subtraction are linear.
 */

export interface Range {
  readonly begin: number;
  readonly end: number;
}

/** Sort and merge overlapping or adjacent ranges. */
export function normalizeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end >= r.begin).sort((a, b) => a.begin - b.begin);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.begin <= last.end + 1) {
      out[out.length - 1] = { begin: last.begin, end: Math.max(last.end, r.end) };
    } else {
      out.push({ begin: r.begin, end: r.end });
    }
  }
  return out;
}

export function addRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  return normalizeRanges([...a, ...b]);
}

/** `a` minus `b`; both normalized. */
export function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const r of a) {
    let pieces: Range[] = [r];
    for (const cut of b) {
      if (cut.end < r.begin || cut.begin > r.end) continue;
      const next: Range[] = [];
      for (const p of pieces) {
        if (cut.end < p.begin || cut.begin > p.end) {
          next.push(p);
          continue;
        }
        if (cut.begin > p.begin) next.push({ begin: p.begin, end: cut.begin - 1 });
        if (cut.end < p.end) next.push({ begin: cut.end + 1, end: p.end });
      }
      pieces = next;
    }
    out.push(...pieces);
  }
  return out;
}

/** True when every number in `inner` is in `outer`. */
export function containsRanges(outer: readonly Range[], inner: readonly Range[]): boolean {
  return subtractRanges(normalizeRanges(inner), normalizeRanges(outer)).length === 0;
}

export function rangesSize(ranges: readonly Range[]): number {
  let n = 0;
  for (const r of ranges) n += r.end - r.begin + 1;
  return n;
}

/** "[31000-31005, 31010-31010]", the way Mesos prints ranges in /master/state. */
export function formatRanges(ranges: readonly Range[]): string {
  return `[${ranges.map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
}

/** Split `ranges` into `parts` disjoint slices of (nearly) equal size; slice `index` is returned. */
export function sliceRanges(ranges: readonly Range[], parts: number, index: number): Range[] {
  const numbers = rangesSize(ranges);
  const per = Math.floor(numbers / parts);
  if (per === 0) return [];
  let skip = per * index;
  let take = per;
  const out: Range[] = [];
  for (const r of normalizeRanges(ranges)) {
    const size = r.end - r.begin + 1;
    if (skip >= size) {
      skip -= size;
      continue;
    }
    const begin = r.begin + skip;
    skip = 0;
    const end = Math.min(r.end, begin + take - 1);
    out.push({ begin, end });
    take -= end - begin + 1;
    if (take === 0) break;
  }
  return out;
}
