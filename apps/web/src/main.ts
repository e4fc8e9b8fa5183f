import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { onUnauthorized } from './api/http';
import { i18n } from './i18n';
import { router } from './router';
import { useSessionStore } from './stores/session';
import './styles.css';

const app = createApp(App).use(createPinia()).use(i18n).use(router);
// A session that ends while in use sends the user to sign in again. A 401
// before anyone signed in (restoring at start-up) is the router guard's to handle.
onUnauthorized(() => {
  const session = useSessionStore();
  if (!session.user) return;
  session.forget();
  if (router.currentRoute.value.name !== 'auth-login') void router.push({ name: 'auth-login', query: { next: router.currentRoute.value.fullPath } });
});
document.documentElement.lang = i18n.global.locale.value;
app.mount('#app');
