/**
 * The typed call surface of the scheduler client (`client.calls.launch(...)` etc.). Each method
 * builds one Call and hands it to the client's `call`, which adds the framework id and stream id.
 */
import {
  acknowledgementFor,
  type IdLike,
  type KillOptions,
  killBody,
  type ReconcileTaskInput,
  reconcileTasks,
  rolesBody,
  toId,
  toIds,
} from './scheduler-calls.js';
import type { Call, Filters, FrameworkInfo, OfferOperation, TaskInfo, TaskStatus } from './types.js';

export class SchedulerCalls {
  constructor(
    private readonly send: (call: Call) => Promise<void>,
    private readonly currentFrameworkId: () => string | undefined,
  ) {}

  /** ACCEPT offers with any operations. Several offers must be from the same agent. */
  accept(
    offerIds: readonly IdLike[],
    operations: readonly OfferOperation[],
    filters?: Filters,
  ): Promise<void> {
    const accept = { offer_ids: toIds(offerIds), operations: [...operations] };
    return this.send({ type: 'ACCEPT', accept: filters ? { ...accept, filters } : accept });
  }

  /** ACCEPT with one LAUNCH of many tasks; resources left unused are refused for `filters`. */
  launch(offerIds: readonly IdLike[], tasks: readonly TaskInfo[], filters?: Filters): Promise<void> {
    return this.accept(offerIds, [{ type: 'LAUNCH', launch: { task_infos: [...tasks] } }], filters);
  }

  /** DECLINE offers; `filters.refuse_seconds` keeps them away that long (Mesos default 5 s). */
  decline(offerIds: readonly IdLike[], filters?: Filters): Promise<void> {
    const decline = { offer_ids: toIds(offerIds) };
    return this.send({ type: 'DECLINE', decline: filters ? { ...decline, filters } : decline });
  }

  acceptInverseOffers(inverseOfferIds: readonly IdLike[], filters?: Filters): Promise<void> {
    const body = { inverse_offer_ids: toIds(inverseOfferIds) };
    return this.send({
      type: 'ACCEPT_INVERSE_OFFERS',
      accept_inverse_offers: filters ? { ...body, filters } : body,
    });
  }

  declineInverseOffers(inverseOfferIds: readonly IdLike[], filters?: Filters): Promise<void> {
    const body = { inverse_offer_ids: toIds(inverseOfferIds) };
    return this.send({
      type: 'DECLINE_INVERSE_OFFERS',
      decline_inverse_offers: filters ? { ...body, filters } : body,
    });
  }

  /** KILL a task, optionally overriding its kill policy's grace period. */
  kill(taskId: IdLike, options: KillOptions = {}): Promise<void> {
    return this.send({ type: 'KILL', kill: killBody(taskId, options) });
  }

  /**
   * ACKNOWLEDGE a status update. Rejects (MesosCallRejected, nothing sent) for an update without
   * a uuid: master-generated updates such as reconciliation answers must not be acknowledged.
   */
  async acknowledge(status: TaskStatus): Promise<void> {
    const acknowledge = acknowledgementFor(status);
    await this.send({ type: 'ACKNOWLEDGE', acknowledge });
  }

  /** Explicit reconciliation of the listed tasks (answers arrive as `update` events). */
  reconcile(tasks: readonly ReconcileTaskInput[]): Promise<void> {
    return this.send({ type: 'RECONCILE', reconcile: { tasks: reconcileTasks(tasks) } });
  }

  /** Implicit reconciliation: the master reports every task it knows for this framework. */
  reconcileAll(): Promise<void> {
    return this.send({ type: 'RECONCILE', reconcile: { tasks: [] } });
  }

  /** REVIVE offers (clears filters); no roles = every role. */
  revive(roles?: readonly string[]): Promise<void> {
    return this.send({ type: 'REVIVE', revive: rolesBody(roles) });
  }

  /** SUPPRESS offers until REVIVE; no roles = every role. */
  suppress(roles?: readonly string[]): Promise<void> {
    return this.send({ type: 'SUPPRESS', suppress: rolesBody(roles) });
  }

  /** SHUTDOWN a custom executor. */
  shutdownExecutor(executorId: IdLike, agentId: IdLike): Promise<void> {
    return this.send({
      type: 'SHUTDOWN',
      shutdown: { executor_id: toId(executorId), agent_id: toId(agentId) },
    });
  }

  /** MESSAGE a custom executor (`data` is sent as base64). */
  message(agentId: IdLike, executorId: IdLike, data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    return this.send({
      type: 'MESSAGE',
      message: { agent_id: toId(agentId), executor_id: toId(executorId), data: bytes.toString('base64') },
    });
  }

  /** UPDATE_FRAMEWORK; the client fills in the id and uses the new info for later re-subscribes. */
  updateFramework(frameworkInfo: FrameworkInfo): Promise<void> {
    const id = this.currentFrameworkId();
    const framework_info = id === undefined ? { ...frameworkInfo } : { ...frameworkInfo, id: { value: id } };
    return this.send({ type: 'UPDATE_FRAMEWORK', update_framework: { framework_info } });
  }

  /** TEARDOWN: the master kills every task and forgets the framework; the client stops. */
  teardown(): Promise<void> {
    return this.send({ type: 'TEARDOWN' });
  }
}
