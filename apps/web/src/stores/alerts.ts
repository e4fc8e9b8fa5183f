/**
 * Live alerts for every page: the counts of the alerts room the user follows
 * (the fleet's, or their region's) for the header's bell, and each pushed
 * change handed to the pages that listen (the alerts list merges it). The
 * realtime store feeds it from the socket; the shell joins the room once
 * signed in.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AlertResponse, AlertsMessage, AlertSummaryResponse } from '@fleet/shared';
import { alertsRoom, openTotal } from '../features/alerts/alert-format';
import { useSessionStore } from './session';

/** Alerts raised, changed or resolved; `whole` when the change may miss some (a snapshot after a reconnection, or a storm). */
type Listener = (changed: AlertResponse[], whole: boolean) => void;

export const useAlertsStore = defineStore('alerts', () => {
  const session = useSessionStore();
  const summary = ref<AlertSummaryResponse | null>(null);
  const listeners = new Set<Listener>();

  const room = computed(() => alertsRoom(session.scope));
  const open = computed(() => openTotal(summary.value));
  const critical = computed(() => summary.value?.open.critical ?? 0);

  function apply(message: AlertsMessage): void {
    summary.value = message.summary;
    listeners.forEach((listener) => listener(message.alerts, message.snapshot || message.omitted > 0));
  }

  /** Calls `listener` with every pushed change (a snapshot too) until the returned function is called. */
  function listen(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function reset(): void {
    summary.value = null;
  }

  return { summary, room, open, critical, apply, listen, reset };
});
