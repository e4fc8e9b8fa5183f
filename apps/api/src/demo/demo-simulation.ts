/**
 * Demo mode keeps the dashboard alive: every deployed terminal of the demo
 * fleet sends heartbeats through the real ingest pipeline at a gentle total
 * rate (DEMO_HEARTBEATS_PER_SECOND), behaving as libs/shared's simulated
 * terminal does: batteries drain, paper runs out, some units fail for a
 * while and come back.
 */
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { generateDemoFleet, nextHeartbeat, seededRandom, simulatedTerminal, type HeartbeatRequest, type SimulatedTerminal } from '@fleet/shared';
import { CatalogService } from '../catalog/catalog.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LiveHealthService } from '../heartbeats/live-health.service';
import { TerminalsService } from '../terminals/terminals.service';
import { DEMO_SEED } from './demo.constants';

const TICK_MS = 1_000;

@Injectable()
export class DemoSimulation implements OnApplicationShutdown {
  private readonly logger = new Logger(DemoSimulation.name);
  private readonly random = seededRandom(DEMO_SEED + 1);
  private terminals: SimulatedTerminal[] = [];
  private cursor = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly live: LiveHealthService,
    private readonly inventory: TerminalsService,
    private readonly catalog: CatalogService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The heartbeat interval each terminal gets when `deployed` terminals share the demo rate. */
  static intervalSeconds(deployed: number, rate: number): number {
    return Math.max(30, Math.round(deployed / Math.max(rate, 1)));
  }

  /** Called by DemoService once the demo fleet exists. */
  async start(): Promise<void> {
    const rate = this.config.heartbeats.demoRate;
    if (!this.config.demo || rate === 0 || this.timer) return;
    const rates = new Map(generateDemoFleet({ seed: DEMO_SEED, today: this.clock.today() }).models.map((m) => [m.name, m.annualFailureRate]));
    const models = (await this.catalog.names()).models;
    for await (const chunk of this.inventory.streamAttributes()) {
      for (const terminal of chunk) {
        if (terminal.status !== 'deployed') continue;
        const annualFailureRate = rates.get(models.get(terminal.modelId) ?? '') ?? 0.05;
        this.terminals.push(simulatedTerminal(terminal.id, 'smart', this.random, { annualFailureRate, firmwareVersion: '2.4.0' }));
      }
    }
    if (this.terminals.length === 0) return;
    const interval = DemoSimulation.intervalSeconds(this.terminals.length, rate);
    this.logger.log(`Demo: ${this.terminals.length} terminals send a heartbeat about every ${interval} s (${rate}/s)`);
    this.timer = setInterval(() => void this.tick(rate, interval), TICK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(rate: number, interval: number): Promise<void> {
    const now = this.clock.now().getTime();
    const heartbeats: HeartbeatRequest[] = [];
    for (let i = 0; i < rate && this.terminals.length > 0; i++) {
      const terminal = this.terminals[this.cursor]!;
      this.cursor = (this.cursor + 1) % this.terminals.length;
      const heartbeat = nextHeartbeat(terminal, now, interval, this.random);
      if (heartbeat) heartbeats.push(heartbeat);
    }
    if (heartbeats.length === 0) return;
    try {
      await this.live.submit({ kind: 'system' }, heartbeats, (index) => `heartbeats.${index}.`);
    } catch (error) {
      // A terminal deleted or a full queue: the demo just skips this tick.
      this.logger.debug(`Demo heartbeats skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
