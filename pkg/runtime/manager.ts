/**
 * Manager: runs a set of informers and controllers only while this process leads. On gaining
 * leadership: start informers → wait until every one has synced → start controllers. On losing
 * it: stop controllers (aborting runs in flight) and informers at once, so a deposed leader stops
 * acting before the next one starts. Transitions are serialized: a quick lose-then-win waits for
 * the previous stop to finish, so two generations of controllers never overlap.
 */
import { componentLogger, type Logger } from '../log/index.js';
import type { FencingToken, LeaderElector } from './leader-election.js';

/** What the manager needs of an informer (Informer satisfies it). */
export interface ManagedInformer {
  readonly name: string;
  start(): void;
  stop(): void;
  waitForSync(): Promise<void>;
}

/** What the manager needs of a controller (Controller satisfies it). */
export interface ManagedController {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ManagerOptions {
  readonly elector: LeaderElector;
  readonly informers: readonly ManagedInformer[];
  readonly controllers: readonly ManagedController[];
  /** Told when controllers are running (with the term's token) and when they have stopped again. */
  readonly onRunning?: (token: FencingToken) => void;
  readonly onStopped?: (reason: string) => void;
}

export class Manager {
  private readonly options: ManagerOptions;
  private readonly log: Logger;
  /** The tail of the serialized start/stop transitions. */
  private transitions: Promise<void> = Promise.resolve();
  /** Bumped on every leadership change; a start that was overtaken by a loss gives up. */
  private term = 0;
  private running = false;

  constructor(options: ManagerOptions) {
    this.options = options;
    this.log = componentLogger('runtime', { manager: options.elector.identity });
  }

  /** Begin campaigning; controllers run whenever this process leads. */
  start(): void {
    this.options.elector.run({
      onStartedLeading: (token) => {
        const term = ++this.term;
        this.enqueue(() => this.lead(term, token));
      },
      onStoppedLeading: (reason) => {
        ++this.term;
        // Now, not queued: a lead() still waiting for sync holds the queue until they stop.
        for (const i of this.options.informers) i.stop();
        this.enqueue(() => this.stopAll(reason));
      },
    });
  }

  /** Resign and stop everything; resolves once controllers and informers have stopped. */
  async stop(): Promise<void> {
    ++this.term;
    for (const i of this.options.informers) i.stop();
    await this.options.elector.resign();
    this.enqueue(() => this.stopAll('manager stopped'));
    await this.transitions;
  }

  /** True while controllers are running. */
  isRunning(): boolean {
    return this.running;
  }

  private enqueue(step: () => Promise<void>): void {
    this.transitions = this.transitions.then(step).catch((err: unknown) => {
      this.log.error({ err }, 'leadership transition failed');
    });
  }

  private async lead(term: number, token: FencingToken): Promise<void> {
    if (term !== this.term) return;
    this.log.info({ revision: token.revision }, 'leading: starting informers');
    for (const i of this.options.informers) i.start();
    // A loss while waiting stops the informers, which rejects waitForSync: no hang here.
    try {
      await Promise.all(this.options.informers.map((i) => i.waitForSync()));
    } catch (err) {
      if (term === this.term) throw err;
      return;
    }
    if (term !== this.term) return;
    await Promise.all(this.options.controllers.map((c) => c.start()));
    this.running = true;
    this.log.info('leading: controllers running');
    this.options.onRunning?.(token);
  }

  private async stopAll(reason: string): Promise<void> {
    // Again here: a lead() that finished after the early stop may have restarted nothing, but
    // stopping twice is harmless and keeps this step complete on its own.
    for (const i of this.options.informers) i.stop();
    await Promise.all(this.options.controllers.map((c) => c.stop()));
    const wasRunning = this.running;
    this.running = false;
    if (!wasRunning) return; // already stopped (resign reports the loss, then stop() stops again)
    this.log.info({ reason }, 'not leading: controllers stopped');
    this.options.onStopped?.(reason);
  }
}
