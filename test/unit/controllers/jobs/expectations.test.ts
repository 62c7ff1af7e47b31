import { describe, expect, it } from 'vitest';
import { CreationExpectations, EXPECTATION_TIMEOUT_MS } from '../../../../controllers/jobs/expectations.js';
import { FakeClock } from '../../../../pkg/runtime/clock.js';

describe('creation expectations of the jobs controller', () => {
  it('hold a job until every task it created has been seen', () => {
    const e = new CreationExpectations(new FakeClock(0));
    expect(e.satisfied('ns/web')).toBe(true);
    e.expect('ns/web', 'web-0-a');
    e.expect('ns/web', 'web-1-b');
    expect(e.satisfied('ns/web')).toBe(false);
    e.observed('ns/web', 'web-0-a');
    expect(e.satisfied('ns/web')).toBe(false);
    expect(e.satisfied('ns/other')).toBe(true);
    e.observed('ns/web', 'web-1-b');
    expect(e.satisfied('ns/web')).toBe(true);
  });

  it('lapse when a creation is never seen, so a job cannot be stuck forever', () => {
    const clock = new FakeClock(0);
    const e = new CreationExpectations(clock);
    e.expect('ns/web', 'web-0-a');
    clock.advance(EXPECTATION_TIMEOUT_MS - 1);
    expect(e.satisfied('ns/web')).toBe(false);
    clock.advance(1);
    expect(e.satisfied('ns/web')).toBe(true);
  });
});
