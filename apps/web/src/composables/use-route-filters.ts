/** List filters kept in the URL's query, so a list can be bookmarked and shared; any change goes back to the first page. */
import { useRoute, useRouter } from 'vue-router';

export function useRouteFilters() {
  const route = useRoute();
  const router = useRouter();

  /** Sets or (with '' or undefined) removes filters, keeping the others. */
  function setFilter(changes: Record<string, string | undefined>): void {
    const next: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...route.query, page: undefined, ...changes })) {
      if (typeof value === 'string' && value !== '') next[key] = value;
    }
    void router.replace({ query: next });
  }

  return { setFilter };
}
