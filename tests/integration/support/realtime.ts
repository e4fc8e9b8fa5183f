/** A socket.io client of the realtime gateway, as the dashboard opens it. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@fleet/shared';
import type { RunningApi } from '../../support/server';

export type FleetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connect(api: RunningApi, token?: string): FleetSocket {
  return io(api.baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true, ...(token ? { auth: { token } } : {}) });
}

/** The next `event` message that `accept` takes. */
export function next<T>(socket: FleetSocket, event: keyof ServerToClientEvents, accept: (message: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: T) => {
      if (!accept(message)) return;
      socket.off(event, listener as never);
      resolve(message);
    };
    socket.on(event, listener as never);
  });
}
