/** One typed client per resource of the API. */
import type {
  Ref,
  AppInfoResponse,
  AuditEntryResponse,
  DeviceCredentialResponse,
  FleetHealthGroupBy,
  FleetHealthHistoryResponse,
  FleetHealthResponse,
  HealthPolicyListResponse,
  HealthPolicyRequest,
  HealthPolicyView,
  HeartbeatSeriesResponse,
  IssuedCredentialResponse,
  StatusChangeResponse,
  TerminalHealthResponse,
  ImportJobResponse,
  InsurancePolicyResponse,
  ListAuditQuery,
  ListTerminalsQuery,
  LoginResponse,
  MerchantResponse,
  ModelResponse,
  Page,
  RegionResponse,
  SeriesResolution,
  SessionResponse,
  SupplierResponse,
  TerminalResponse,
  TerminalSummaryResponse,
  TerminalStatus,
  UpdateTerminalRequest,
  CreateTerminalRequest,
  UserResponse,
  AddMerchantContactRequest,
  AssignIncidentRequest,
  BackUpIncidentRequest,
  CloseIncidentRequest,
  CommonFaultResponse,
  CommonFaultsQuery,
  CreateIncidentCostRequest,
  CreateIncidentRequest,
  DecideRepairRequest,
  DiagnoseIncidentRequest,
  IncidentActionType,
  IncidentBoardCounts,
  IncidentCostResponse,
  IncidentEventResponse,
  IncidentPhotoResponse,
  IncidentResponse,
  IncidentStepRequest,
  IncidentSummaryResponse,
  LendSpareRequest,
  ListIncidentsQuery,
  RateIncidentRequest,
  ReceiveIncidentRequest,
  ReopenIncidentRequest,
  ReplaceIncidentRequest,
  RespondIncidentRequest,
  ServiceLevelQuery,
  ServiceLevelRow,
  ShipIncidentRequest,
  TestIncidentRequest,
  UpdateIncidentCostRequest,
  AcknowledgeAlertRequest,
  AlertResponse,
  AlertRuleResponse,
  AlertSubscriptionsResponse,
  AlertSummaryResponse,
  AssignAlertRequest,
  AssignMaintenanceTaskRequest,
  BehindTerminalResponse,
  CompleteMaintenanceTaskRequest,
  CreateAlertRuleRequest,
  CreateMaintenancePlanRequest,
  CreateMaintenanceWindowRequest,
  CreateWebhookRequest,
  ExpiryReportResponse,
  GenerateMaintenanceTasksResponse,
  ListAlertsQuery,
  ListMaintenancePlansQuery,
  ListMaintenanceTasksQuery,
  ListWebhookDeliveriesQuery,
  MaintenanceCalendarQuery,
  MaintenanceCalendarResponse,
  MaintenanceComplianceResponse,
  MaintenancePlanResponse,
  MaintenanceTaskAction,
  MaintenanceTaskResponse,
  MaintenanceTaskStepRequest,
  MaintenanceWindowResponse,
  NotificationDeliveryResponse,
  PostponeMaintenanceTaskRequest,
  PutAlertSubscriptionsRequest,
  QueuedNotificationResponse,
  SkipMaintenanceTaskRequest,
  UpdateAlertRuleRequest,
  UpdateMaintenancePlanRequest,
  UpdateWebhookRequest,
  WebhookResponse,
  WebhookWithSecretResponse,
  AnalyticsQuery,
  AnalyticsStatus,
  CostGroup,
  CostReport,
  EarlyWarningQuery,
  EarlyWarningReport,
  FailureRateGroup,
  FailureRateReport,
  ModelComparison,
  ModelComparisonQuery,
  RepairOrReplaceAnswer,
  RepairOrReplaceQuery,
  RepairTimeGroup,
  RepairTimeReport,
  SpareSizingQuery,
  SpareSizingReport,
  SupplierScorecard,
  SurvivalReport,
  TcoReport,
} from '@fleet/shared';
import { http, toQueryString, type Query } from './http';

export const authApi = {
  info: () => http.get<AppInfoResponse>('/info'),
  login: (username: string, password: string) => http.post<LoginResponse>('/auth/login', { username, password }),
  logout: () => http.post<void>('/auth/logout'),
  session: () => http.get<SessionResponse>('/auth/session'),
};

export const terminalsApi = {
  list: (query: ListTerminalsQuery) => http.get<Page<TerminalResponse>>('/terminals', query as Query),
  summary: () => http.get<TerminalSummaryResponse>('/terminals/summary'),
  exportUrl: (query: ListTerminalsQuery) => `/api/v1/terminals/export.csv${toQueryString({ ...query, page: undefined, pageSize: undefined } as Query)}`,
  get: (id: number) => http.get<TerminalResponse>(`/terminals/${id}`),
  create: (body: CreateTerminalRequest) => http.post<TerminalResponse>('/terminals', body),
  update: (id: number, body: UpdateTerminalRequest) => http.patch<TerminalResponse>(`/terminals/${id}`, body),
  transition: (id: number, to: TerminalStatus, version: number, reason?: string) =>
    http.post<TerminalResponse>(`/terminals/${id}/transitions`, { to, version, ...(reason ? { reason } : {}) }),
  remove: (id: number) => http.delete(`/terminals/${id}`),
  history: (id: number, page = 1) => http.get<Page<AuditEntryResponse>>(`/terminals/${id}/audit`, { page, pageSize: 50 }),
  labelUrl: (id: number, format: 'svg' | 'png') => `/api/v1/terminals/${id}/label.${format}`,
};

/** The simple records managed on the catalog pages, by their API path. */
export interface CatalogRecords {
  models: ModelResponse;
  suppliers: SupplierResponse;
  regions: RegionResponse;
  'insurance-policies': InsurancePolicyResponse;
  merchants: MerchantResponse;
}
export type CatalogKind = keyof CatalogRecords;

export const catalogApi = {
  list: async <K extends CatalogKind>(kind: K): Promise<CatalogRecords[K][]> =>
    kind === 'merchants'
      ? ((await http.get<Page<MerchantResponse>>('/merchants', { pageSize: 200 })).items as CatalogRecords[K][])
      : http.get<CatalogRecords[K][]>(`/${kind}`),
  create: <K extends CatalogKind>(kind: K, body: Record<string, unknown>) => http.post<CatalogRecords[K]>(`/${kind}`, body),
  update: <K extends CatalogKind>(kind: K, id: number, body: Record<string, unknown>) => http.patch<CatalogRecords[K]>(`/${kind}/${id}`, body),
  remove: (kind: CatalogKind, id: number) => http.delete(`/${kind}/${id}`),
};

export const auditApi = {
  list: (query: ListAuditQuery) => http.get<Page<AuditEntryResponse>>('/audit', query as Query),
};

export const importsApi = {
  upload: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return http.post<ImportJobResponse>('/imports/terminals', form);
  },
  get: (id: number) => http.get<ImportJobResponse>(`/imports/${id}`),
  apply: (id: number, onlyValidRows: boolean) => http.post<ImportJobResponse>(`/imports/${id}/apply`, { onlyValidRows }),
};

export const usersApi = {
  list: () => http.get<UserResponse[]>('/users'),
  create: (body: Record<string, unknown>) => http.post<UserResponse>('/users', body),
  update: (id: number, body: Record<string, unknown>) => http.patch<UserResponse>(`/users/${id}`, body),
};

export const healthApi = {
  fleet: (groupBy?: FleetHealthGroupBy) => http.get<FleetHealthResponse>('/fleet/health', { groupBy }),
  history: (hours: number) => http.get<FleetHealthHistoryResponse>('/fleet/health/history', { hours }),
  terminal: (id: number) => http.get<TerminalHealthResponse>(`/terminals/${id}/health`),
  timeline: (id: number, page = 1) => http.get<Page<StatusChangeResponse>>(`/terminals/${id}/health/timeline`, { page, pageSize: 20 }),
  series: (id: number, query: { resolution?: SeriesResolution | 'auto'; from?: string; to?: string } = {}) => http.get<HeartbeatSeriesResponse>(`/terminals/${id}/heartbeats`, query),
  policies: () => http.get<HealthPolicyListResponse>('/health-policies'),
  terminalPolicy: (id: number) => http.get<HealthPolicyView>(`/terminals/${id}/health-policy`),
  putTerminalPolicy: (id: number, body: HealthPolicyRequest) => http.put<HealthPolicyView>(`/terminals/${id}/health-policy`, body),
  modelPolicy: (id: number) => http.get<HealthPolicyView>(`/models/${id}/health-policy`),
  putModelPolicy: (id: number, body: HealthPolicyRequest) => http.put<HealthPolicyView>(`/models/${id}/health-policy`, body),
};

export const credentialsApi = {
  ofTerminal: (terminalId: number) => http.get<DeviceCredentialResponse[]>(`/terminals/${terminalId}/credentials`),
  issue: (terminalId: number) => http.post<IssuedCredentialResponse>(`/terminals/${terminalId}/credentials`),
  revoke: (terminalId: number) => http.delete(`/terminals/${terminalId}/credentials`),
  gateways: () => http.get<DeviceCredentialResponse[]>('/gateways'),
  createGateway: (name: string, regionId: number) => http.post<IssuedCredentialResponse>('/gateways', { name, regionId }),
  rotateGateway: (id: number) => http.post<IssuedCredentialResponse>(`/gateways/${id}/rotate`),
  revokeGateway: (id: number) => http.delete(`/gateways/${id}`),
};

/** The body of each step of a fault ticket: the state machine's actions, plus assign and rate. */
export interface IncidentStepBodies {
  respond: RespondIncidentRequest;
  diagnose: DiagnoseIncidentRequest;
  decide: DecideRepairRequest;
  lendSpare: LendSpareRequest;
  backUp: BackUpIncidentRequest;
  ship: ShipIncidentRequest;
  receive: ReceiveIncidentRequest;
  repairOnSite: IncidentStepRequest;
  replace: ReplaceIncidentRequest;
  test: TestIncidentRequest;
  restoreData: IncidentStepRequest;
  close: CloseIncidentRequest;
  reopen: ReopenIncidentRequest;
  assign: AssignIncidentRequest;
  rate: RateIncidentRequest;
}
export type IncidentStepName = keyof IncidentStepBodies;

/** The route of each step under /incidents/:id. */
const INCIDENT_STEP_PATHS: Readonly<Record<IncidentStepName, string>> = {
  respond: 'respond',
  diagnose: 'diagnose',
  decide: 'decide',
  lendSpare: 'spare',
  backUp: 'backup',
  ship: 'ship',
  receive: 'receive',
  repairOnSite: 'repair-on-site',
  replace: 'replace',
  test: 'test',
  restoreData: 'restore',
  close: 'close',
  reopen: 'reopen',
  assign: 'assign',
  rate: 'rate',
} satisfies Record<IncidentActionType, string> & Record<'assign' | 'rate', string>;

/** Stages and priorities go as repeated keys (`stage=a&stage=b`). */
const incidentList = <T>(path: string, query: object) => http.get<T>(path, query as Query, 'repeat');

export const incidentsApi = {
  list: (query: ListIncidentsQuery) => incidentList<Page<IncidentSummaryResponse>>('/incidents', query),
  board: (query: Omit<ListIncidentsQuery, 'stage' | 'page' | 'pageSize'>) => incidentList<IncidentBoardCounts>('/incidents/board', query),
  create: (body: CreateIncidentRequest) => http.post<IncidentResponse>('/incidents', body),
  get: (id: number) => http.get<IncidentResponse>(`/incidents/${id}`),
  assignees: () => http.get<Ref[]>('/incidents/assignees'),
  events: (id: number) => http.get<IncidentEventResponse[]>(`/incidents/${id}/events`),
  suggestions: (id: number) => http.get<CommonFaultResponse[]>(`/incidents/${id}/suggestions`),
  step: <K extends IncidentStepName>(id: number, step: K, body: IncidentStepBodies[K]) => http.post<IncidentResponse>(`/incidents/${id}/${INCIDENT_STEP_PATHS[step]}`, body),
  addContact: (id: number, body: AddMerchantContactRequest) => http.post<IncidentEventResponse>(`/incidents/${id}/contacts`, body),
  addCost: (id: number, body: CreateIncidentCostRequest) => http.post<IncidentCostResponse>(`/incidents/${id}/costs`, body),
  updateCost: (id: number, costId: number, body: UpdateIncidentCostRequest) => http.patch<IncidentCostResponse>(`/incidents/${id}/costs/${costId}`, body),
  photos: (id: number) => http.get<IncidentPhotoResponse[]>(`/incidents/${id}/photos`),
  uploadPhoto: (id: number, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return http.post<IncidentPhotoResponse>(`/incidents/${id}/photos`, form);
  },
  /** A photo's `url` or `thumbnailUrl` (relative to /api/v1) for an <img>. */
  photoSrc: (path: string) => `/api/v1${path}`,
  commonFaults: (query: CommonFaultsQuery) => http.get<Page<CommonFaultResponse>>('/incidents/common-faults', query as Query),
  commonFaultsCsvUrl: (query: CommonFaultsQuery) => `/api/v1/incidents/common-faults.csv${toQueryString({ ...query, page: undefined, pageSize: undefined } as Query)}`,
  serviceLevels: ({ groupBy, from, to }: ServiceLevelQuery) => http.get<ServiceLevelRow[]>('/incidents/service-levels', { groupBy, from, to }),
};

export const alertsApi = {
  list: (query: ListAlertsQuery) => http.get<Page<AlertResponse>>('/alerts', query as Query),
  summary: (query: Omit<ListAlertsQuery, 'state' | 'page' | 'pageSize'> = {}) => http.get<AlertSummaryResponse>('/alerts/summary', query as Query),
  get: (id: number) => http.get<AlertResponse>(`/alerts/${id}`),
  acknowledge: (id: number, body: AcknowledgeAlertRequest) => http.post<AlertResponse>(`/alerts/${id}/acknowledge`, body),
  assign: (id: number, body: AssignAlertRequest) => http.post<AlertResponse>(`/alerts/${id}/assign`, body),
  rules: () => http.get<AlertRuleResponse[]>('/alerts/rules'),
  createRule: (body: CreateAlertRuleRequest) => http.post<AlertRuleResponse>('/alerts/rules', body),
  updateRule: (id: number, body: UpdateAlertRuleRequest) => http.patch<AlertRuleResponse>(`/alerts/rules/${id}`, body),
  removeRule: (id: number) => http.delete(`/alerts/rules/${id}`),
  subscriptions: () => http.get<AlertSubscriptionsResponse>('/alerts/subscriptions/me'),
  putSubscriptions: (body: PutAlertSubscriptionsRequest) => http.put<AlertSubscriptionsResponse>('/alerts/subscriptions/me', body),
  windows: () => http.get<MaintenanceWindowResponse[]>('/alerts/maintenance-windows'),
  createWindow: (body: CreateMaintenanceWindowRequest) => http.post<MaintenanceWindowResponse>('/alerts/maintenance-windows', body),
  removeWindow: (id: number) => http.delete(`/alerts/maintenance-windows/${id}`),
  expiryReport: (withinDays: number) => http.get<ExpiryReportResponse>('/alerts/expiry-report', { withinDays }),
};

export const webhooksApi = {
  list: () => http.get<WebhookResponse[]>('/webhooks'),
  create: (body: CreateWebhookRequest) => http.post<WebhookWithSecretResponse>('/webhooks', body),
  update: (id: number, body: UpdateWebhookRequest) => http.patch<WebhookResponse>(`/webhooks/${id}`, body),
  remove: (id: number) => http.delete(`/webhooks/${id}`),
  rotateSecret: (id: number) => http.post<WebhookWithSecretResponse>(`/webhooks/${id}/rotate-secret`),
  deliveries: (id: number, query: ListWebhookDeliveriesQuery) => http.get<Page<NotificationDeliveryResponse>>(`/webhooks/${id}/deliveries`, query as Query),
  test: (id: number) => http.post<QueuedNotificationResponse>(`/webhooks/${id}/test`),
};

/** The body of each step of a maintenance task; each step is its route under /maintenance/tasks/:id. */
export interface MaintenanceStepBodies extends Record<MaintenanceTaskAction, MaintenanceTaskStepRequest> {
  assign: AssignMaintenanceTaskRequest;
  complete: CompleteMaintenanceTaskRequest;
  postpone: PostponeMaintenanceTaskRequest;
  skip: SkipMaintenanceTaskRequest;
}
export type MaintenanceStepName = MaintenanceTaskAction;

export const maintenanceApi = {
  plans: (query: ListMaintenancePlansQuery) => http.get<Page<MaintenancePlanResponse>>('/maintenance/plans', query as Query),
  plan: (id: number) => http.get<MaintenancePlanResponse>(`/maintenance/plans/${id}`),
  createPlan: (body: CreateMaintenancePlanRequest) => http.post<MaintenancePlanResponse>('/maintenance/plans', body),
  updatePlan: (id: number, body: UpdateMaintenancePlanRequest) => http.patch<MaintenancePlanResponse>(`/maintenance/plans/${id}`, body),
  removePlan: (id: number) => http.delete(`/maintenance/plans/${id}`),
  generate: (id: number) => http.post<GenerateMaintenanceTasksResponse>(`/maintenance/plans/${id}/generate`),
  tasks: (query: ListMaintenanceTasksQuery) => http.get<Page<MaintenanceTaskResponse>>('/maintenance/tasks', query as Query),
  calendar: (query: MaintenanceCalendarQuery) => http.get<MaintenanceCalendarResponse>('/maintenance/tasks/calendar', { ...query }),
  task: (id: number) => http.get<MaintenanceTaskResponse>(`/maintenance/tasks/${id}`),
  step: <K extends MaintenanceStepName>(id: number, step: K, body: MaintenanceStepBodies[K]) => http.post<MaintenanceTaskResponse>(`/maintenance/tasks/${id}/${step}`, body),
  compliance: () => http.get<MaintenanceComplianceResponse>('/maintenance/compliance'),
  behind: (modelId: number, page = 1) => http.get<Page<BehindTerminalResponse>>(`/maintenance/compliance/${modelId}/behind`, { page, pageSize: 50 }),
};

/** Reliability analytics (issue 7): every answer echoes the period and filters it was computed over. */
export const analyticsApi = {
  status: () => http.get<AnalyticsStatus>('/analytics/status'),
  failureRates: (query: AnalyticsQuery, groupBy: FailureRateGroup) => http.get<FailureRateReport>('/analytics/failure-rates', { ...query, groupBy }),
  survival: (query: AnalyticsQuery, modelIds: readonly number[]) => http.get<SurvivalReport>('/analytics/survival', { ...query, modelIds }),
  repairTimes: (query: AnalyticsQuery, groupBy: RepairTimeGroup) => http.get<RepairTimeReport>('/analytics/repair-times', { ...query, groupBy }),
  costs: (query: AnalyticsQuery, groupBy: CostGroup) => http.get<CostReport>('/analytics/costs', { ...query, groupBy }),
  tco: (query: AnalyticsQuery) => http.get<TcoReport>('/analytics/tco', query as Query),
  supplierScorecard: (query: AnalyticsQuery) => http.get<SupplierScorecard>('/analytics/supplier-scorecard', query as Query),
  modelComparison: (query: ModelComparisonQuery) => http.get<ModelComparison>('/analytics/model-comparison', query as unknown as Query),
  modelComparisonCsvUrl: (query: ModelComparisonQuery) => `/api/v1/analytics/model-comparison.csv${toQueryString(query as unknown as Query)}`,
  spares: (query: SpareSizingQuery) => http.get<SpareSizingReport>('/analytics/spares', query as Query),
  repairOrReplace: (terminalId: number, query: RepairOrReplaceQuery) => http.get<RepairOrReplaceAnswer>(`/analytics/terminals/${terminalId}/repair-or-replace`, query as Query),
  earlyWarning: (query: EarlyWarningQuery) => http.get<EarlyWarningReport>('/analytics/early-warning', query as Query),
};
