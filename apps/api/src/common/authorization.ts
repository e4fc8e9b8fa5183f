/**
 * Every route declares who may call it: `@Public()` or `@RequirePermission(p)`.
 * The global guard refuses a route that declares neither (fail closed).
 */
import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiExtension } from '@nestjs/swagger';
import { FLEET_WIDE_PERMISSIONS, type Permission, type Role } from '@fleet/shared';
import type { RegionScope } from './request-scope';

export const AUTH_RULE = 'fleet:auth-rule';

export type AuthRule = { kind: 'public' } | { kind: 'permission'; permission: Permission } | { kind: 'device' };

/** The rule is also published in the OpenAPI document as `x-permission` (or `x-public`). */
export const Public = () => applyDecorators(SetMetadata(AUTH_RULE, { kind: 'public' } satisfies AuthRule), ApiExtension('x-public', true));
export const FLEET_WIDE = 'fleet:fleet-wide';

/**
 * What acts on the whole fleet or on what all regions share: refused to a
 * user limited to a region. Published as `x-fleet-wide`. Routes under a
 * FLEET_WIDE_PERMISSIONS permission get it from RequirePermission; others
 * (the audit log, gateways, model thresholds, the fleet's history) are marked
 * one by one.
 */
export const FleetWide = () => applyDecorators(SetMetadata(FLEET_WIDE, true), ApiExtension('x-fleet-wide', true));

export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(AUTH_RULE, { kind: 'permission', permission } satisfies AuthRule),
    ApiExtension('x-permission', permission),
    ApiBearerAuth(),
    ApiCookieAuth(),
    ...(FLEET_WIDE_PERMISSIONS.includes(permission) ? [FleetWide()] : []),
  );

/** Terminals and gateways only, with a device token (never a user's session). Published as `x-device`. */
export const RequireDevice = () =>
  applyDecorators(SetMetadata(AUTH_RULE, { kind: 'device' } satisfies AuthRule), ApiExtension('x-device', true), ApiBearerAuth());

/** The signed-in user, as the guard put it on the request. */
export interface Actor {
  id: number;
  username: string;
  role: Role;
  sessionId: number;
  /** The region the user is limited to, with its sub-regions; absent or null for the whole fleet. */
  scope?: RegionScope | null;
}

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!request.actor) throw new Error('CurrentActor used on a public route');
  return request.actor;
});

/** The device behind a device-token route, as the guard put it on the request. */
export const CurrentDevice = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
  const request = context.switchToHttp().getRequest<{ device?: unknown }>();
  if (!request.device) throw new Error('CurrentDevice used on a route without RequireDevice');
  return request.device;
});

/** The actor of work the system does by itself (demo seeding, scheduled jobs). */
export const SYSTEM_ACTOR: Actor = { id: 0, username: 'system', role: 'admin', sessionId: 0 };
