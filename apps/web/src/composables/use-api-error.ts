/** Turns an API error into translated text for a form: a summary and a message per field. */
import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/http';

export function useApiError() {
  const { t } = useI18n();
  const error = ref<ApiError | Error | null>(null);

  const summary = computed(() => {
    if (!error.value) return '';
    if (error.value instanceof ApiError) return t(`errors.${error.value.body.code}`);
    return error.value.message;
  });

  const conflict = computed(() => error.value instanceof ApiError && error.value.body.code === 'VERSION_CONFLICT');

  function fieldError(field: string): string {
    if (!(error.value instanceof ApiError)) return '';
    return error.value.fields
      .filter((f) => f.field === field)
      .map((f) => f.message)
      .join('; ');
  }

  async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    error.value = null;
    try {
      return await work();
    } catch (caught) {
      error.value = caught instanceof Error ? caught : new Error(String(caught));
      return undefined;
    }
  }

  return { error, summary, conflict, fieldError, attempt };
}
