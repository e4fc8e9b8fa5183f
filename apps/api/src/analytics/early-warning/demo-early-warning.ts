/**
 * Demo mode's heartbeat past: the demo fleet only reports from the moment
 * the simulator starts, so without this the swap list would be empty for six
 * weeks. Once the fleet and its tickets are seeded, libs/shared's
 * demoHeartbeatHistory plants DEMO_HISTORY_DAYS of daily rollups (degrading
 * before the failures, and now on a few units), then the list is computed.
 */
import { Injectable, Logger } from '@nestjs/common';
import { DEMO_HISTORY_DAYS, demoHeartbeatHistory, startOfUtcDay, type DemoTerminalHistory } from '@fleet/shared';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/transaction';
import { EarlyWarningRepository } from './early-warning.repository';
import { EarlyWarningScheduler } from './early-warning.scheduler';

const DAY_MS = 86_400_000;
const SEED = 20_260_307;
/** Units written per transaction. */
const BATCH = 200;

@Injectable()
export class DemoEarlyWarning {
  private readonly logger = new Logger(DemoEarlyWarning.name);

  constructor(
    private readonly repository: EarlyWarningRepository,
    private readonly scheduler: EarlyWarningScheduler,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Plants the history of the terminals and tickets as stored, then computes the list. */
  async seed(): Promise<void> {
    const started = this.clock.now();
    const { terminals, failures } = await this.repository.demoSubjects(new Date(startOfUtcDay(started.getTime()) - DEMO_HISTORY_DAYS * DAY_MS));
    const totals = { units: 0, rollups: 0, atRisk: 0 };
    let batch: DemoTerminalHistory[] = [];
    const flush = async () => {
      const histories = batch;
      batch = [];
      await this.transactions.run((tx) => this.repository.insertHistory(tx, histories));
    };
    for (const history of demoHeartbeatHistory({ seed: SEED, now: started.toISOString(), terminals, failures })) {
      batch.push(history);
      totals.units++;
      totals.rollups += history.rollups.length;
      if (history.atRisk) totals.atRisk++;
      if (batch.length === BATCH) await flush();
    }
    await flush();
    this.logger.log(`Demo heartbeat history loaded: ${totals.rollups} daily rollups of ${totals.units} terminals (${totals.atRisk} degrading now) in ${this.clock.now().getTime() - started.getTime()} ms`);
    await this.scheduler.runNow();
  }
}
