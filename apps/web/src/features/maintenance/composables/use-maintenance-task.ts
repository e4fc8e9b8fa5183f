/** One maintenance task opened with its steps: loaded by id, each step sent with its version, the answer kept, and who may take it. */
import { computed, ref } from 'vue';
import type { MaintenanceTaskResponse, Ref } from '@fleet/shared';
import { incidentsApi, maintenanceApi, type MaintenanceStepBodies, type MaintenanceStepName } from '../../../api/resources';
import { useApiError } from '../../../composables/use-api-error';
import { useSessionStore } from '../../../stores/session';

export function useMaintenanceTask(changed: (task: MaintenanceTaskResponse) => void) {
  const session = useSessionStore();
  const { summary, conflict, fieldError, attempt } = useApiError();
  const task = ref<MaintenanceTaskResponse | null>(null);
  /** The users who work tickets also work on maintenance (the same roles). */
  const users = ref<Ref[] | null>(null);
  const busy = ref(false);
  const canWork = computed(() => session.allowed('maintenance:work'));

  async function loadUsers(): Promise<void> {
    users.value = (await attempt(() => incidentsApi.assignees())) ?? null;
  }

  async function open(id: number | undefined): Promise<void> {
    if (id === undefined) {
      task.value = null;
      return;
    }
    const answer = await attempt(() => maintenanceApi.task(id));
    task.value = answer ?? null;
  }

  async function step<K extends MaintenanceStepName>(name: K, body: MaintenanceStepBodies[K]): Promise<void> {
    const current = task.value;
    if (!current) return;
    busy.value = true;
    const answer = await attempt(() => maintenanceApi.step(current.id, name, body));
    busy.value = false;
    if (!answer) return;
    task.value = answer;
    changed(answer);
  }

  return { task, users, busy, canWork, summary, conflict, fieldError, loadUsers, open, step };
}
