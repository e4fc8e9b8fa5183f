/** Prometheus metrics: process defaults and HTTP request durations by route. */
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'fleet_' });

const httpDuration = new Histogram({
  name: 'fleet_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** The heartbeat hot path: queue depth, what was stored or refused, and group-commit time. */
export const heartbeatMetrics = {
  queued: new Gauge({ name: 'fleet_heartbeats_queued', help: 'Heartbeats accepted and waiting to be durable', registers: [registry] }),
  stored: new Counter({ name: 'fleet_heartbeats_stored_total', help: 'Heartbeats made durable (duplicates excluded)', registers: [registry] }),
  refused: new Counter({ name: 'fleet_heartbeats_refused_total', help: 'Heartbeats refused because the queue was full', registers: [registry] }),
  mqttMessages: new Counter({ name: 'fleet_mqtt_messages_total', help: 'MQTT heartbeat messages by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
  flushSeconds: new Histogram({
    name: 'fleet_heartbeat_flush_seconds',
    help: 'Duration of one group commit (heartbeats, health, status changes)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
};

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const end = httpDuration.startTimer();
    response.on('finish', () => {
      // The route pattern, not the URL, so ids do not explode the label set.
      const route = (request.route as { path?: string } | undefined)?.path;
      end({ method: request.method, route: route ? `${request.baseUrl}${route}` : 'unmatched', status: String(response.statusCode) });
    });
    next();
  }
}
