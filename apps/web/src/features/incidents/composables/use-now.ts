/** The current time, moved on every `everyMs`, so ages and running clocks on a page stay current without a reload. */
import { onBeforeUnmount, onMounted, ref } from 'vue';

export function useNow(everyMs = 60_000) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => (timer = setInterval(() => (now.value = Date.now()), everyMs)));
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
