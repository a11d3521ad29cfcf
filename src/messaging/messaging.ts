import type { DeliveryDispatcher } from './delivery-dispatcher.ts';
import type { DeliveryStatusRecorder } from './delivery-status-recorder.ts';
import type { FailoverSweeper } from './failover-sweeper.ts';
import type { MessageRouter } from './route-plan.ts';

/**
 * The messaging domain as the application holds it: the router that plans each send, the dispatcher
 * that sends through the plan and fails over, the recorder providers report statuses into, and the
 * sweeper that enforces delivery time-outs (started by the server).
 */
export interface Messaging {
  readonly router: MessageRouter;
  readonly dispatcher: DeliveryDispatcher;
  readonly recorder: DeliveryStatusRecorder;
  readonly sweeper: FailoverSweeper;
}
