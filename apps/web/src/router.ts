import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from './stores/session';

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'auth-login', component: () => import('./features/auth/pages/LoginPage.vue'), meta: { public: true } },
  { path: '/', name: 'overview', component: () => import('./features/overview/pages/OverviewPage.vue') },
  { path: '/terminals', name: 'terminals-list', component: () => import('./features/terminals/pages/TerminalListPage.vue') },
  { path: '/terminals/new', name: 'terminals-create', component: () => import('./features/terminals/pages/TerminalFormPage.vue') },
  { path: '/terminals/:id', name: 'terminals-detail', component: () => import('./features/terminals/pages/TerminalDetailPage.vue'), props: (r) => ({ id: Number(r.params.id) }) },
  { path: '/terminals/:id/edit', name: 'terminals-edit', component: () => import('./features/terminals/pages/TerminalFormPage.vue'), props: (r) => ({ id: Number(r.params.id) }) },
  { path: '/incidents', name: 'incidents-board', component: () => import('./features/incidents/pages/IncidentBoardPage.vue') },
  { path: '/incidents/new', name: 'incidents-create', component: () => import('./features/incidents/pages/IncidentCreatePage.vue') },
  { path: '/incidents/common-faults', name: 'incidents-common-faults', component: () => import('./features/incidents/pages/IncidentCommonFaultsPage.vue') },
  { path: '/incidents/:id(\\d+)', name: 'incidents-detail', component: () => import('./features/incidents/pages/IncidentDetailPage.vue'), props: (r) => ({ id: Number(r.params.id) }) },
  { path: '/catalog/:kind(models|suppliers|regions|merchants|insurance-policies)', name: 'catalog-list', component: () => import('./features/catalog/pages/CatalogPage.vue'), props: true },
  { path: '/import', name: 'imports-upload', component: () => import('./features/imports/pages/ImportPage.vue') },
  { path: '/audit', name: 'audit-log', component: () => import('./features/audit/pages/AuditLogPage.vue') },
  { path: '/health-policies', name: 'health-policies', component: () => import('./features/health/pages/HealthPoliciesPage.vue') },
  { path: '/gateways', name: 'devices-gateways', component: () => import('./features/devices/pages/GatewaysPage.vue') },
  { path: '/users', name: 'users-list', component: () => import('./features/users/pages/UsersPage.vue') },
  { path: '/:pathMatch(.*)*', redirect: { name: 'terminals-list' } },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.checked) await session.restore();
  if (!to.meta.public && !session.user) return { name: 'auth-login', query: { next: to.fullPath } };
  return true;
});
