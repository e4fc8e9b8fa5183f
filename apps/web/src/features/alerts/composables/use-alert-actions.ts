/** Acknowledging and assigning alerts, for any list of them: who may, whom to assign, and the answer handed back to the list. */
import { computed, ref } from 'vue';
import type { AlertResponse, Ref } from '@fleet/shared';
import { alertsApi, incidentsApi } from '../../../api/resources';
import { useApiError } from '../../../composables/use-api-error';
import { useSessionStore } from '../../../stores/session';

export function useAlertActions(changed: (alert: AlertResponse) => void) {
  const session = useSessionStore();
  const { summary, conflict, attempt } = useApiError();
  const canRespond = computed(() => session.allowed('alerts:respond'));
  /** The users who work tickets take alerts too (GET /incidents/assignees). */
  const users = ref<Ref[] | null>(null);
  const busy = ref(false);

  /** Once, and only for who may assign. */
  async function loadUsers(): Promise<void> {
    if (canRespond.value && users.value === null) users.value = (await attempt(() => incidentsApi.assignees())) ?? null;
  }

  async function act(work: () => Promise<AlertResponse>): Promise<void> {
    busy.value = true;
    try {
      const answer = await attempt(work);
      if (answer) changed(answer);
    } finally {
      busy.value = false;
    }
  }

  const acknowledge = (alert: AlertResponse, note: string | null) => act(() => alertsApi.acknowledge(alert.id, { version: alert.version, note }));
  const assign = (alert: AlertResponse, assigneeId: number | null) => act(() => alertsApi.assign(alert.id, { version: alert.version, assigneeId }));

  return { canRespond, users, busy, summary, conflict, loadUsers, acknowledge, assign };
}
