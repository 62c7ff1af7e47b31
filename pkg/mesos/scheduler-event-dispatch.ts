/** Maps a scheduler Event to the client's named event with the payload a handler wants. */
import type { SchedulerClientEvents } from './scheduler-client-events.js';
import type { Event } from './types.js';

export type Emit = <K extends keyof SchedulerClientEvents>(
  name: K,
  ...args: SchedulerClientEvents[K]
) => void;

/** Emit the named event for `event` (ERROR is the client's to handle: it changes its state). */
export function emitTyped(event: Exclude<Event, { type: 'ERROR' }>, emit: Emit): void {
  switch (event.type) {
    case 'SUBSCRIBED':
      emit('subscribed', event.subscribed);
      break;
    case 'OFFERS':
      emit('offers', event.offers.offers);
      break;
    case 'INVERSE_OFFERS':
      emit('inverseOffers', event.inverse_offers.inverse_offers);
      break;
    case 'RESCIND':
      emit('rescind', event.rescind.offer_id);
      break;
    case 'RESCIND_INVERSE_OFFER':
      emit('rescindInverseOffer', event.rescind_inverse_offer.inverse_offer_id);
      break;
    case 'UPDATE':
      emit('update', event.update.status);
      break;
    case 'UPDATE_OPERATION_STATUS':
      emit('operationStatus', event.update_operation_status.status);
      break;
    case 'MESSAGE':
      emit('message', event.message);
      break;
    case 'FAILURE':
      emit('failure', event.failure);
      break;
    case 'HEARTBEAT':
      emit('heartbeat');
      break;
  }
}
