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
  { path: '/alerts', name: 'alerts-list', component: () => import('./features/alerts/pages/AlertListPage.vue') },
  { path: '/alerts/rules', name: 'alerts-rules', component: () => import('./features/alerts/pages/AlertRulesPage.vue') },
  { path: '/alerts/expiry', name: 'alerts-expiry', component: () => import('./features/alerts/pages/AlertExpiryPage.vue') },
  { path: '/settings/notifications', name: 'notifications-settings', component: () => import('./features/notifications/pages/NotificationSettingsPage.vue') },
  { path: '/maintenance', name: 'maintenance-tasks', component: () => import('./features/maintenance/pages/MaintenanceTasksPage.vue') },
  { path: '/maintenance/plans', name: 'maintenance-plans', component: () => import('./features/maintenance/pages/MaintenancePlansPage.vue') },
  { path: '/maintenance/calendar', name: 'maintenance-calendar', component: () => import('./features/maintenance/pages/MaintenanceCalendarPage.vue') },
  { path: '/maintenance/compliance', name: 'maintenance-compliance', component: () => import('./features/maintenance/pages/MaintenanceCompliancePage.vue') },
  { path: '/catalog/:kind(models|suppliers|regions|merchants|insurance-policies)', name: 'catalog-list', component: () => import('./features/catalog/pages/CatalogPage.vue'), props: true },
  {
    path: '/analytics',
    children: [
      { path: '', name: 'analytics-reliability', component: () => import('./features/analytics/pages/AnalyticsReliabilityPage.vue') },
      { path: 'models', name: 'analytics-models', component: () => import('./features/analytics/pages/AnalyticsModelsPage.vue') },
      { path: 'suppliers', name: 'analytics-suppliers', component: () => import('./features/analytics/pages/AnalyticsSuppliersPage.vue') },
      { path: 'costs', name: 'analytics-costs', component: () => import('./features/analytics/pages/AnalyticsCostsPage.vue') },
      { path: 'repairs', name: 'analytics-repairs', component: () => import('./features/analytics/pages/AnalyticsRepairsPage.vue') },
      { path: 'spares', name: 'analytics-spares', component: () => import('./features/analytics/pages/AnalyticsSparesPage.vue') },
      { path: 'early-warning', name: 'analytics-early-warning', component: () => import('./features/analytics/pages/AnalyticsEarlyWarningPage.vue') },
    ],
  },
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
