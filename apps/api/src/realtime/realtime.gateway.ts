/**
 * The realtime gateway: the one place on the server that touches socket.io.
 * Connections are authenticated at the handshake with the same session as
 * the REST API (token in `auth.token` or the session cookie); guards do not
 * run at connect, so this middleware is the check. It listens to domain
 * events, hands them to RealtimeService, and every REALTIME_FLUSH_MS sends
 * each joined room its coalesced changes.
 */
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer, type OnGatewayInit } from '@nestjs/websockets';
import { can, REALTIME_FLUSH_MS, REALTIME_ROOM_PATTERN, type ClientToServerEvents, type ServerToClientEvents } from '@fleet/shared';
import type { Server, Socket } from 'socket.io';
import { SESSION_COOKIE } from '../auth/auth.service';
import type { Actor } from '../common/authorization';
import { HEALTH_CHANGED, HEARTBEATS_STORED, type HealthChangedEvent, type HeartbeatsStoredEvent } from '../heartbeats/health.events';
import { USER_DEACTIVATED, type UserDeactivatedEvent } from '../users/users.events';
import { RealtimeService, type Outgoing } from './realtime.service';

interface SocketData {
  actor: Actor;
}
type FleetServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type FleetSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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
  private flushing = false;

  constructor(private readonly realtime: RealtimeService) {}

  afterInit(server: FleetServer): void {
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
    this.timer = setInterval(() => void this.flush(), REALTIME_FLUSH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: FleetSocket, @MessageBody() room: unknown): Promise<boolean> {
    if (typeof room !== 'string' || !REALTIME_ROOM_PATTERN.test(room)) {
      socket.emit('realtime:error', { room: String(room).slice(0, 40), code: 'INVALID_ROOM', message: 'Rooms are fleet, feed, region:<id> and terminal:<id>' });
      return false;
    }
    if (!(await this.realtime.exists(room))) {
      socket.emit('realtime:error', { room, code: 'NOT_FOUND', message: `No ${room}` });
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
  }

  @OnEvent(HEARTBEATS_STORED)
  onHeartbeatsStored(event: HeartbeatsStoredEvent): void {
    this.realtime.recordHeartbeats(event.terminalIds);
  }

  @OnEvent(USER_DEACTIVATED)
  async onUserDeactivated(event: UserDeactivatedEvent): Promise<void> {
    for (const socket of await this.server.fetchSockets()) if (socket.data.actor?.id === event.userId) socket.disconnect(true);
  }

  private async flush(): Promise<void> {
    if (this.flushing || !this.server) return;
    this.flushing = true;
    try {
      const rooms = [...this.server.sockets.adapter.rooms.keys()].filter((room) => REALTIME_ROOM_PATTERN.test(room));
      for (const outgoing of await this.realtime.drain(rooms)) this.send(this.server.to(outgoing.room), outgoing);
    } catch (error) {
      this.logger.error(`Realtime flush failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      this.flushing = false;
    }
  }

  private send(target: { emit: FleetSocket['emit'] }, outgoing: Outgoing): void {
    if (outgoing.event === 'fleet:counts') target.emit('fleet:counts', outgoing.message);
    else if (outgoing.event === 'feed:changes') target.emit('feed:changes', outgoing.message);
    else target.emit('terminal:health', outgoing.message);
  }
}
