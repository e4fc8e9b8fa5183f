/**
 * The realtime gateway: the one place on the server that touches socket.io.
 * Connections are authenticated at the handshake with the same session as
 * the REST API (token in `auth.token` or the session cookie); guards do not
 * run at connect, so this middleware is the check. It listens to domain
 * events and hands them to RealtimeService; the rooms get their coalesced
 * changes at once when nothing was sent for REALTIME_FLUSH_MS, else when
 * that much time has passed since the last send (a lone change is pushed
 * within milliseconds, a storm at most every REALTIME_FLUSH_MS).
 *
 * With REDIS_URL the Redis adapter joins the instances into one audience:
 * the ingest instance (HEARTBEAT_INGEST) sends every room's changes, which
 * reach the clients of all instances, and relays its raw changes to the
 * others (server-side events), which mirror them. Inventory and policy
 * changes made on any instance are relayed to the others the same way.
 */
import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer, type OnGatewayInit } from '@nestjs/websockets';
import { can, HEALTH_STATES, maskToReasons, reasonsToMask, REALTIME_FLUSH_MS, REALTIME_ROOM_PATTERN, type ClientToServerEvents, type ServerToClientEvents } from '@fleet/shared';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';
import { ALERTS_CHANGED, type AlertsChangedEvent } from '../alerts/alerts.events';
import { SESSION_COOKIE } from '../auth/auth.service';
import type { Actor } from '../common/authorization';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { STATE_CODE } from '../heartbeats/fleet-state';
import {
  HEALTH_CHANGED,
  HEALTH_POLICY_CHANGED,
  HEARTBEATS_STORED,
  type HealthChange,
  type HealthChangedEvent,
  type HealthPolicyChangedEvent,
  type HeartbeatsStoredEvent,
} from '../heartbeats/health.events';
import { TERMINALS_CHANGED, type TerminalsChangedEvent } from '../terminals/terminals.events';
import { USER_ACCESS_CHANGED, USER_DEACTIVATED, type UserAccessChangedEvent, type UserDeactivatedEvent } from '../users/users.events';
import { RealtimeService, type Outgoing } from './realtime.service';

interface SocketData {
  actor: Actor;
}
/** Between instances, over Redis; a health change travels as a compact tuple. */
type PackedChange = [terminalId: number, regionId: number, modelId: number, supplierId: number, from: number, to: number, reasons: number, at: number, monitored: 0 | 1];
interface InterServerEvents {
  'health:changes': (changes: PackedChange[]) => void;
  'terminals:changed': (ids: number[]) => void;
  'policy:changed': (scope: HealthPolicyChangedEvent) => void;
  'alerts:changed': (ids: number[]) => void;
}
type FleetServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type FleetSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export function packChange(change: HealthChange): PackedChange {
  return [change.terminalId, change.regionId, change.modelId, change.supplierId, STATE_CODE[change.from], STATE_CODE[change.to], reasonsToMask(change.reasons), change.at, change.monitored ? 1 : 0];
}

export function unpackChange([terminalId, regionId, modelId, supplierId, from, to, reasons, at, monitored]: PackedChange): HealthChange {
  return { terminalId, regionId, modelId, supplierId, from: HEALTH_STATES[from]!, to: HEALTH_STATES[to]!, reasons: maskToReasons(reasons), at, monitored: monitored === 1 };
}

/** The session token of a handshake: `auth.token`, or the session cookie sent by the browser. */
export function handshakeToken(handshake: { auth?: Record<string, unknown>; headers: { cookie?: string } }): string | null {
  const token = handshake.auth?.token;
  if (typeof token === 'string' && /^[A-Za-z0-9_-]{20,200}$/.test(token)) return token;
  const cookie = handshake.headers.cookie?.split(';').map((part) => part.trim()).find((part) => part.startsWith(`${SESSION_COOKIE}=`));
  const value = cookie ? decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)) : '';
  return /^[A-Za-z0-9_-]{20,200}$/.test(value) ? value : null;
}

@WebSocketGateway({ serveClient: false })
export class RealtimeGateway implements OnGatewayInit, OnModuleDestroy {
  private readonly logger = new Logger(RealtimeGateway.name);
  @WebSocketServer() private server!: FleetServer;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
  /** When anything, and when health changes (counts, feed), were last sent. */
  private lastFlush = -REALTIME_FLUSH_MS;
  private lastHealthFlush = -REALTIME_FLUSH_MS;
  private flushing = false;
  /** Publisher and subscriber of the Redis adapter, when instances are joined. */
  private redis: Redis[] = [];

  constructor(
    private readonly realtime: RealtimeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: FleetServer): void {
    if (this.config.redisUrl) this.joinInstances(server, this.config.redisUrl);
    server.use((socket, next) => {
      const token = handshakeToken(socket.handshake);
      if (!token) return next(new Error('AUTH_REQUIRED'));
      this.realtime
        .authenticate(token)
        .then(({ actor, expiresAt }) => {
          if (!can(actor.role, 'fleet:read')) return next(new Error('FORBIDDEN'));
          socket.data.actor = actor;
          // The connection ends with the session.
          const timeout = setTimeout(() => socket.disconnect(true), Math.min(expiresAt.getTime() - Date.now(), 2_147_483_647));
          socket.once('disconnect', () => clearTimeout(timeout));
          next();
        })
        .catch((error: unknown) => next(new Error(error instanceof Error && 'code' in error ? String(error.code) : 'AUTH_REQUIRED')));
    });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.redis.map((client) => client.quit().catch(() => client.disconnect())));
  }

  /** The Redis adapter, and the server-side events by which instances keep each other current. */
  private joinInstances(server: FleetServer, url: string): void {
    const pub = new Redis(url, { maxRetriesPerRequest: null });
    const sub = pub.duplicate();
    this.redis = [pub, sub];
    for (const client of this.redis) client.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    server.adapter(createAdapter(pub, sub, { key: `${this.config.redisPrefix}.realtime` }));
    server.on('health:changes', (changes) => {
      this.realtime.applyRemoteChanges(changes.map(unpackChange));
      this.schedule(this.lastHealthFlush);
    });
    server.on('terminals:changed', (ids) => void this.realtime.applyRemoteTerminals(ids));
    server.on('policy:changed', (scope) => void this.realtime.applyRemotePolicy(scope));
    server.on('alerts:changed', (ids) => {
      this.realtime.recordAlerts(ids);
      this.schedule(this.lastFlush);
    });
    this.realtime.relayChanges();
    this.logger.log(`Realtime joined to the other instances through Redis (${this.realtime.ingests ? 'ingest instance' : 'mirror'})`);
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: FleetSocket, @MessageBody() room: unknown): Promise<boolean> {
    if (typeof room !== 'string' || !REALTIME_ROOM_PATTERN.test(room)) {
      socket.emit('realtime:error', { room: String(room).slice(0, 40), code: 'INVALID_ROOM', message: 'Rooms are fleet, feed, alerts, feed:<regionId>, alerts:<regionId>, region:<id> and terminal:<id>' });
      return false;
    }
    if (!(await this.realtime.exists(room))) {
      socket.emit('realtime:error', { room, code: 'NOT_FOUND', message: `No ${room}` });
      return false;
    }
    if (!(await this.realtime.allowed(socket.data.actor, room))) {
      socket.emit('realtime:error', { room, code: 'FORBIDDEN', message: `${room} is outside the region you are limited to` });
      return false;
    }
    await socket.join(room);
    const snapshot = await this.realtime.snapshot(room);
    if (snapshot) this.send(socket, snapshot);
    return true;
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: FleetSocket, @MessageBody() room: unknown): Promise<boolean> {
    if (typeof room !== 'string') return false;
    await socket.leave(room);
    return true;
  }

  @OnEvent(HEALTH_CHANGED)
  onHealthChanged(event: HealthChangedEvent): void {
    this.realtime.recordChanges(event.changes);
    this.schedule(this.lastHealthFlush);
  }

  @OnEvent(HEARTBEATS_STORED)
  onHeartbeatsStored(event: HeartbeatsStoredEvent): void {
    this.realtime.recordHeartbeats(event.terminalIds);
    this.schedule(this.lastFlush);
  }

  @OnEvent(TERMINALS_CHANGED)
  onTerminalsChanged(event: TerminalsChangedEvent): void {
    if (this.redis.length > 0) this.server.serverSideEmit('terminals:changed', event.ids);
  }

  /** Alerts change on the evaluating instance, or wherever someone acknowledges one: the ingest instance sends them. */
  @OnEvent(ALERTS_CHANGED)
  onAlertsChanged(event: AlertsChangedEvent): void {
    this.realtime.recordAlerts(event.ids);
    if (this.redis.length > 0 && !this.realtime.ingests) this.server.serverSideEmit('alerts:changed', event.ids);
    this.schedule(this.lastFlush);
  }

  @OnEvent(HEALTH_POLICY_CHANGED)
  onPolicyChanged(event: HealthPolicyChangedEvent): void {
    if (this.redis.length > 0) this.server.serverSideEmit('policy:changed', { modelId: event.modelId, terminalId: event.terminalId });
  }

  /** A deactivated user is cut off; one whose role or region changed connects again with the new one. */
  @OnEvent(USER_DEACTIVATED)
  @OnEvent(USER_ACCESS_CHANGED)
  async onUserAccessEnded(event: UserDeactivatedEvent | UserAccessChangedEvent): Promise<void> {
    for (const socket of await this.server.fetchSockets()) if (socket.data.actor?.id === event.userId) socket.disconnect(true);
  }

  /**
   * The next send, REALTIME_FLUSH_MS after `since` (the last send of the same
   * kind) or at once: health changes keep their own pace, so the steady
   * stream of heartbeats for terminal rooms does not delay a status change.
   */
  private schedule(since: number, minimumMs = 0): void {
    if (!this.server) return;
    // Pacing, not domain time: the monotonic clock.
    const now = performance.now();
    const due = now + Math.max(minimumMs, since + REALTIME_FLUSH_MS - now);
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, due - now);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    // A send still under way: try again a little later.
    if (this.flushing) return this.schedule(0, 50);
    this.flushing = true;
    this.lastFlush = performance.now();
    if (this.realtime.healthPending) this.lastHealthFlush = this.lastFlush;
    try {
      // A mirror sends nothing itself (the ingest instance's messages reach its clients); draining keeps its snapshots current.
      const rooms = this.realtime.ingests && this.realtime.pending ? await this.joinedRooms() : [];
      for (const outgoing of await this.realtime.drain(rooms)) this.send(this.server.to(outgoing.room), outgoing);
      const relay = this.realtime.takeRelay();
      if (relay.length > 0) this.server.serverSideEmit('health:changes', relay.map(packChange));
    } catch (error) {
      this.logger.error(`Realtime flush failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      this.flushing = false;
    }
  }

  /** The realtime rooms with members, on this instance or, with Redis, on any. */
  private async joinedRooms(): Promise<string[]> {
    const adapter = this.server.sockets.adapter as typeof this.server.sockets.adapter & { allRooms?: () => Promise<Set<string>> };
    const rooms = this.redis.length > 0 && adapter.allRooms ? await adapter.allRooms() : adapter.rooms.keys();
    return [...rooms].filter((room) => REALTIME_ROOM_PATTERN.test(room));
  }

  private send(target: { emit: FleetSocket['emit'] }, outgoing: Outgoing): void {
    if (outgoing.event === 'fleet:counts') target.emit('fleet:counts', outgoing.message);
    else if (outgoing.event === 'feed:changes') target.emit('feed:changes', outgoing.message);
    else if (outgoing.event === 'alerts:changed') target.emit('alerts:changed', outgoing.message);
    else target.emit('terminal:health', outgoing.message);
  }
}
