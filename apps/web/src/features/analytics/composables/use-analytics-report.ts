/**
 * An analytics answer for the filters in the URL: fetched again whenever
 * what it is asked with changes (only the latest answer is kept, so a slow
 * one never overwrites a newer one), with its error translated.
 */
import { computed, ref, shallowRef, watch } from 'vue';
import { useRoute } from 'vue-router';
import type { AnalyticsQuery } from '@fleet/shared';
import { useApiError } from '../../../composables/use-api-error';
import { analyticsFilters } from '../analytics-format';

/** `args` gives what to ask with for the filters in the URL, or null when there is nothing to ask yet. */
export function useAnalyticsReport<A, T>(args: (filters: AnalyticsQuery) => A | null, load: (args: A) => Promise<T>) {
  const route = useRoute();
  // Leaving the page changes the URL before the page goes: that change must not ask again.
  const page = route.name;
  const filters = computed(() => analyticsFilters(route.query));
  const asked = computed(() => (route.name === page ? args(filters.value) : null));
  const report = shallowRef<T | null>(null);
  const loading = ref(false);
  const { summary, attempt } = useApiError();
  let latest = 0;

  async function fetch(value: A): Promise<void> {
    const mine = ++latest;
    loading.value = true;
    const answer = await attempt(() => load(value));
    if (mine !== latest) return;
    loading.value = false;
    if (answer !== undefined) report.value = answer;
  }

  watch(
    () => JSON.stringify(asked.value),
    () => {
      if (asked.value !== null) void fetch(asked.value);
      else if (route.name === page) report.value = null;
    },
    { immediate: true },
  );

  return { filters, report, loading, summary };
}
