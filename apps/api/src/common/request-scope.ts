/**
 * The region scope of the user behind the current request, where services
 * reach it without every call passing it along: an AsyncLocalStorage entered
 * for each HTTP request (`requestScopeMiddleware`) and filled by the auth
 * guard. Work outside a request (jobs, the realtime flush, devices) has no
 * scope and sees the whole fleet.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/** A region and its sub-regions: every region whose path starts with `path`. */
export interface RegionScope {
  regionId: number;
  path: string;
}

const storage = new AsyncLocalStorage<{ scope: RegionScope | null }>();

export function requestScopeMiddleware(_request: Request, _response: Response, next: NextFunction): void {
  storage.run({ scope: null }, next);
}

export function setRequestScope(scope: RegionScope | null): void {
  const store = storage.getStore();
  if (store) store.scope = scope;
}

/** The current user's scope; null for the whole fleet. */
export function requestScope(): RegionScope | null {
  return storage.getStore()?.scope ?? null;
}

export function withinScope(scope: RegionScope | null, regionPath: string): boolean {
  return scope === null || regionPath.startsWith(scope.path);
}
