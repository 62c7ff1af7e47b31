/**
 * Identifiers in Mesos's formats: the master id is a UUID, frameworks are `<masterId>-0000`,
 * offers `<masterId>-O<n>`, agents `<masterId>-S<n>`. Status update uuids are 16 random bytes,
 * base64 on the wire (the scheduler echoes them back in ACKNOWLEDGE).
 */
import { randomFillSync, randomUUID } from 'node:crypto';

export class IdGenerator {
  private frameworks = 0;
  private offers = 0;
  private agents = 0;

  constructor(public masterId: string = randomUUID()) {}

  framework(): string {
    return `${this.masterId}-${String(this.frameworks++).padStart(4, '0')}`;
  }

  offer(): string {
    return `${this.masterId}-O${this.offers++}`;
  }

  inverseOffer(): string {
    // Mesos draws inverse offer ids from the same counter as offers.
    return this.offer();
  }

  agent(): string {
    return `${this.masterId}-S${this.agents++}`;
  }

  /** A new master id after a restart; counters continue so ids never repeat within a process. */
  rotateMaster(): void {
    this.masterId = randomUUID();
  }
}

// Random bytes are drawn 4 KiB at a time: one syscall per 256 uuids instead of one per uuid.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** A fresh status update uuid: 16 random bytes, base64. */
export function newUpdateUuid(): string {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const uuid = pool.toString('base64', poolOffset, poolOffset + 16);
  poolOffset += 16;
  return uuid;
}

/** True when `value` is base64 of exactly 16 bytes (what Mesos's UUID::fromBytes accepts). */
export function isValidUpdateUuid(value: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === 16;
}
