/**
 * Live fleet state for every page: connection status (and since when the
 * data is stale), counts by health and region, the newest status changes, and
 * the health of the terminals a page watches (alerts go to the alerts store).
 * Pages ask for rooms with `use(room)` and give them back with `release(room)`.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import type { FeedChange, FleetCountsMessage, HealthCounts, RealtimeRoom, TerminalHealthResponse } from '@fleet/shared';
import { openRealtime } from '../realtime/socket';
import { useAlertsStore } from './alerts';

export const useRealtimeStore = defineStore('realtime', () => {
  const alerts = useAlertsStore();
  const connected = ref(false);
  const started = ref(false);
  const staleSince = ref<Date | null>(null);
  const fleet = ref<FleetCountsMessage | null>(null);
  const regions = reactive(new Map<number, HealthCounts>());
  const feed = ref<FeedChange[]>([]);
  const omitted = ref(0);
  const terminals = reactive(new Map<number, TerminalHealthResponse>());
  const wanted = new Map<RealtimeRoom, number>();
  let connection: ReturnType<typeof openRealtime> | null = null;

  function start(): void {
    if (connection) return;
    started.value = true;
    connection = openRealtime(
      {
        onStatus: (up) => {
          if (up) staleSince.value = null;
          else if (connected.value || staleSince.value === null) staleSince.value = new Date();
          connected.value = up;
        },
        bind: (socket) => {
          socket.on('fleet:counts', (message) => {
            if (message.snapshot) regions.clear();
            for (const region of message.regions) regions.set(region.regionId, region.counts);
            fleet.value = message;
          });
          socket.on('feed:changes', (message) => {
            feed.value = message.snapshot ? message.changes : [...message.changes, ...feed.value].slice(0, 50);
            omitted.value = message.snapshot ? 0 : omitted.value + message.omitted;
          });
          socket.on('terminal:health', (message) => terminals.set(message.terminalId, message.health));
          socket.on('alerts:changed', (message) => alerts.apply(message));
        },
      },
      () => wanted.keys(),
    );
  }

  function stop(): void {
    connection?.close();
    connection = null;
    started.value = false;
    connected.value = false;
    staleSince.value = null;
    wanted.clear();
    alerts.reset();
  }

  function use(room: RealtimeRoom): void {
    start();
    const users = wanted.get(room) ?? 0;
    wanted.set(room, users + 1);
    if (users === 0) connection?.join(room);
  }

  function release(room: RealtimeRoom): void {
    const users = (wanted.get(room) ?? 0) - 1;
    if (users > 0) return void wanted.set(room, users);
    wanted.delete(room);
    connection?.leave(room);
    // What no page watches any more is not kept (an old value would show first when it is opened again).
    if (room.startsWith('terminal:')) terminals.delete(Number(room.slice('terminal:'.length)));
  }

  const reconnecting = computed(() => started.value && !connected.value);

  return { connected, reconnecting, staleSince, fleet, regions, feed, omitted, terminals, start, stop, use, release };
});
