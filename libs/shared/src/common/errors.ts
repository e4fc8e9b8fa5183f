/**
 * Error codes shared by the API (which raises them) and the dashboard
 * (which translates them). The HTTP status of each code is fixed here so the
 * contract cannot drift between the two sides.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_QUERY: 400,
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_SESSION_EXPIRED: 401,
  AUTH_USER_DISABLED: 403,
  DEVICE_TOKEN_INVALID: 401,
  DEVICE_NOT_ALLOWED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  TERMINAL_NOT_FOUND: 404,
  MODEL_NOT_FOUND: 404,
  SUPPLIER_NOT_FOUND: 404,
  REGION_NOT_FOUND: 404,
  MERCHANT_NOT_FOUND: 404,
  POLICY_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  IMPORT_NOT_FOUND: 404,
  CREDENTIAL_NOT_FOUND: 404,
  INCIDENT_NOT_FOUND: 404,
  INCIDENT_COST_NOT_FOUND: 404,
  INCIDENT_PHOTO_NOT_FOUND: 404,
  MAINTENANCE_PLAN_NOT_FOUND: 404,
  MAINTENANCE_TASK_NOT_FOUND: 404,
  ALERT_NOT_FOUND: 404,
  ALERT_RULE_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  TERMINAL_INVALID_TRANSITION: 409,
  INCIDENT_INVALID_TRANSITION: 409,
  INCIDENT_CLOSED: 409,
  INCIDENT_ALREADY_OPEN: 409,
  INCIDENT_DECISION_REQUIRED: 409,
  INCIDENT_BACKUP_REQUIRED: 409,
  INCIDENT_RESTORE_REQUIRED: 409,
  INCIDENT_SPARE_OUTSTANDING: 409,
  INCIDENT_PHOTO_LIMIT: 409,
  MAINTENANCE_TASK_INVALID_TRANSITION: 409,
  ALERT_INVALID_TRANSITION: 409,
  VERSION_CONFLICT: 409,
  VERSION_REQUIRED: 428,
  DUPLICATE_SERIAL_NUMBER: 409,
  DUPLICATE_ASSET_NUMBER: 409,
  DUPLICATE_NAME: 409,
  DUPLICATE_CODE: 409,
  DUPLICATE_USERNAME: 409,
  REGION_HAS_CHILDREN: 409,
  RECORD_IN_USE: 409,
  CONFLICT: 409,
  REGION_CYCLE: 409,
  IMPORT_HAS_ERRORS: 422,
  IMPORT_ALREADY_APPLIED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  INGEST_OVERLOADED: 503,
  INGEST_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** One invalid field of a request: `field` is a dotted path into the body or query. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** The body of every error answer of the API. */
export interface ApiErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: { fields?: FieldError[] } & Record<string, unknown>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}
