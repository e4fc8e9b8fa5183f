/** Keeps live health in step with the inventory and the policies. */
import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { TERMINALS_CHANGED, type TerminalsChangedEvent } from '../terminals/terminals.events';
import { HEALTH_POLICY_CHANGED, type HealthPolicyChangedEvent } from './health.events';
import { LiveHealthService } from './live-health.service';

@Injectable()
export class HeartbeatsListener {
  constructor(private readonly live: LiveHealthService) {}

  @OnEvent(TERMINALS_CHANGED)
  onTerminalsChanged(event: TerminalsChangedEvent): void {
    void this.live.refreshTerminals(event.ids);
  }

  @OnEvent(HEALTH_POLICY_CHANGED)
  onPolicyChanged(event: HealthPolicyChangedEvent): void {
    this.live.reschedule(event);
  }
}
