/**
 * The dashboard's one socket.io connection (the only file that imports
 * socket.io-client). The session cookie authenticates the handshake. On every
 * (re)connection the rooms in use are joined again, and each answers with a
 * fresh snapshot, so a client that was away is whole again at once.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, RealtimeRoom, ServerToClientEvents } from '@fleet/shared';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RealtimeHandlers {
  onStatus(connected: boolean): void;
  bind(socket: RealtimeSocket): void;
}

export function openRealtime(handlers: RealtimeHandlers, rooms: () => Iterable<RealtimeRoom>): { join(room: RealtimeRoom): void; leave(room: RealtimeRoom): void; close(): void } {
  const socket: RealtimeSocket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'], reconnectionDelayMax: 5_000 });
  handlers.bind(socket);
  socket.on('connect', () => {
    handlers.onStatus(true);
    for (const room of rooms()) socket.emit('subscribe', room, () => undefined);
  });
  socket.on('disconnect', () => handlers.onStatus(false));
  socket.on('connect_error', () => handlers.onStatus(false));
  return {
    join: (room) => {
      if (socket.connected) socket.emit('subscribe', room, () => undefined);
    },
    leave: (room) => {
      if (socket.connected) socket.emit('unsubscribe', room, () => undefined);
    },
    close: () => socket.disconnect(),
  };
}
