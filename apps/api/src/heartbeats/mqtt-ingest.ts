/**
 * MQTT ingest (with MQTT_URL): terminals publish on
 * `fleet/terminals/{terminalId}/heartbeats` a JSON message
 * `{ "token": "<device token>", "heartbeat": {...} }` or
 * `{ "token": "...", "heartbeats": [...] }`. The same checks and pipeline as
 * HTTP; the PUBACK goes back to the broker only after the heartbeats are
 * durable, so with a persistent session the broker keeps what we have not
 * stored across a crash. A full queue is back-pressure: the message is
 * retried here and the connection stops reading meanwhile. Messages that
 * are malformed or not authorized are acknowledged and dropped (counted).
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { hostname } from 'node:os';
import { DeviceCredentialsService } from '../auth/device-credentials.service';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { heartbeatMetrics } from '../metrics/metrics';
import { parseHeartbeat, parseHeartbeatBatch } from './heartbeat.schema';
import { LiveHealthService } from './live-health.service';

export const MQTT_TOPIC = 'fleet/terminals/+/heartbeats';
const TOPIC_PATTERN = /^fleet\/terminals\/(\d{1,10})\/heartbeats$/;
/** MQTT 5 reason codes for PUBACK. */
const REASON = { success: 0, notAuthorized: 135, payloadInvalid: 153 } as const;

@Injectable()
export class MqttIngest implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MqttIngest.name);
  private clients: MqttClient[] = [];
  private stopping = false;

  constructor(
    private readonly live: LiveHealthService,
    private readonly devices: DeviceCredentialsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const url = this.config.mqttUrl;
    // Only the ingest instance subscribes; the others mirror it.
    if (!url || !this.config.heartbeats.ingest) return;
    for (let n = 0; n < this.config.heartbeats.mqttSubscribers; n++) {
      const options: IClientOptions = {
        clientId: `fleet-ingest-${hostname()}-${this.config.port}-${n}`.slice(0, 64),
        clean: false,
        protocolVersion: 5,
        // The broker keeps the session (and what we have not acknowledged) for a day across restarts and crashes.
        properties: { sessionExpiryInterval: 86_400 },
        reconnectPeriod: 2_000,
        customHandleAcks: (topic, message, _packet, done) => {
          void this.handle(topic, message).then((code) => done(code));
        },
      };
      const client = connect(url, options);
      client.on('connect', () => {
        client.subscribe(`$share/${this.config.heartbeats.mqttShareGroup}/${MQTT_TOPIC}`, { qos: 1 }, (error) => {
          if (error) this.logger.error(`MQTT subscribe failed: ${error.message}`);
        });
        if (n === 0) this.logger.log(`MQTT ingest on ${url.replace(/\/\/[^@/]*@/, '//***@')} (${this.config.heartbeats.mqttSubscribers} connections)`);
      });
      client.on('error', (error) => this.logger.warn(`MQTT: ${error.message}`));
      this.clients.push(client);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.clients.map((client) => client.endAsync()));
  }

  /** Returns the PUBACK reason code once the message is durable or refused for good. */
  async handle(topic: string, message: Buffer): Promise<number> {
    const terminalId = Number(TOPIC_PATTERN.exec(topic)?.[1]);
    let body: { token?: unknown; heartbeat?: unknown; heartbeats?: unknown };
    try {
      body = JSON.parse(message.toString('utf8')) as typeof body;
    } catch {
      return this.drop('malformed', REASON.payloadInvalid);
    }
    if (!terminalId || typeof body !== 'object' || body === null || typeof body.token !== 'string' || !/^f(dt|gw)_[A-Za-z0-9_-]{43}$/.test(body.token)) {
      return this.drop('malformed', REASON.payloadInvalid);
    }
    for (;;) {
      try {
        const device = await this.devices.authenticate(body.token);
        const now = this.clock.now().getTime();
        const batch = body.heartbeats !== undefined;
        const heartbeats = batch ? parseHeartbeatBatch({ heartbeats: body.heartbeats }, now) : [parseHeartbeat(body.heartbeat, now)];
        if (heartbeats.some((heartbeat) => heartbeat.terminalId !== terminalId)) return this.drop('unauthorized', REASON.notAuthorized);
        await this.live.submit(device, heartbeats, (index) => (batch ? `heartbeats.${index}.` : ''));
        heartbeatMetrics.mqttMessages.inc({ outcome: 'stored' });
        return REASON.success;
      } catch (error) {
        const code = error instanceof DomainException ? error.code : null;
        if (code === 'VALIDATION_FAILED') return this.drop('invalid', REASON.payloadInvalid);
        if (code === 'DEVICE_TOKEN_INVALID' || code === 'DEVICE_NOT_ALLOWED' || code === 'TERMINAL_NOT_FOUND') return this.drop('unauthorized', REASON.notAuthorized);
        // Anything else is transient (queue full, database busy): keep the message unacknowledged and retry.
        // When stopping, never acknowledge: the broker redelivers it to the next session.
        if (this.stopping) return new Promise<number>(() => undefined);
        if (code !== 'INGEST_OVERLOADED') this.logger.warn(`MQTT message not stored yet, retrying: ${error instanceof Error ? error.message : String(error)}`);
        const seconds = Number(error instanceof DomainException ? error.details?.retryAfterSeconds : 1) || 1;
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      }
    }
  }

  private drop(outcome: string, reason: number): number {
    heartbeatMetrics.mqttMessages.inc({ outcome });
    return reason;
  }
}
