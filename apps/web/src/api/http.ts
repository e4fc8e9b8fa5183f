/** The one HTTP client of the dashboard: JSON in and out, the session cookie, typed errors. */
import { isErrorCode, type ApiErrorBody, type FieldError } from '@fleet/shared';

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody) {
    super(body.message);
  }

  get fields(): FieldError[] {
    return this.body.details?.fields ?? [];
  }
}

type Listener = (error: ApiError) => void;
const unauthorizedListeners = new Set<Listener>();
/** Lets the session store send the user to the login page when a session ends. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | readonly (string | number)[] | null | undefined>;

/** How a list goes in a query: `status=x,y` (comma) or `stage=x&stage=y` (repeat), as each resource reads it. */
export type ArrayStyle = 'comma' | 'repeat';

/** `?a=1&status=x,y` without empty values. */
export function toQueryString(query: Query = {}, arrays: ArrayStyle = 'comma'): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (arrays === 'repeat') value.forEach((item) => params.append(key, String(item)));
      else if (value.length) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`/api/v1${path}`, init);
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const candidate = payload as Partial<ApiErrorBody> | null;
    const error = new ApiError(
      response.status,
      candidate && isErrorCode(candidate.code)
        ? (candidate as ApiErrorBody)
        : { statusCode: response.status, code: 'INTERNAL_ERROR', message: response.statusText },
    );
    if (response.status === 401 && !path.startsWith('/auth/login')) unauthorizedListeners.forEach((listener) => listener(error));
    throw error;
  }
  return payload as T;
}

export const http = {
  get: <T>(path: string, query?: Query, arrays?: ArrayStyle) => request<T>('GET', `${path}${toQueryString(query, arrays)}`),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  delete: (path: string) => request<void>('DELETE', path),
};
