/**
 * The global guard: finds the route's rule (public or a permission), reads the
 * session from the Bearer token or the cookie, and checks the role's permission.
 * A route without a rule is refused: nothing is reachable by accident.
 */
import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { can } from '@fleet/shared';
import type { Request } from 'express';
import { AUTH_RULE, FLEET_WIDE, type Actor, type AuthRule } from '../common/authorization';
import { setRequestScope } from '../common/request-scope';
import { DomainException } from '../common/domain.exception';
import { AuthService, SESSION_COOKIE } from './auth.service';
import { DeviceCredentialsService } from './device-credentials.service';

export function tokenFrom(request: Pick<Request, 'headers'> & { cookies?: Record<string, string> }): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
    return match?.[1] ?? null;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return typeof cookie === 'string' && cookie.length > 0 ? cookie : null;
}

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly devices: DeviceCredentialsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AuthRule | undefined>(AUTH_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) {
      this.logger.error(`Route ${context.getClass().name}.${context.getHandler().name} has no authorization rule; refused`);
      throw new DomainException('FORBIDDEN', 'This route has no authorization rule');
    }
    if (rule.kind === 'public') return true;
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor; sessionExpiresAt?: Date; device?: unknown }>();
    if (rule.kind === 'device') {
      // Devices send their token as a Bearer header; a user's cookie never counts here.
      const header = request.headers.authorization;
      const token = typeof header === 'string' ? /^Bearer\s+(f(?:dt|gw)_[A-Za-z0-9_-]{43})$/.exec(header)?.[1] : undefined;
      if (!token) throw new DomainException('DEVICE_TOKEN_INVALID', 'Send the device token as "Authorization: Bearer <token>"');
      request.device = await this.devices.authenticate(token);
      return true;
    }
    const token = tokenFrom(request);
    if (!token) throw new DomainException('AUTH_REQUIRED', 'Sign in to continue');
    const { actor, expiresAt } = await this.auth.authenticate(token);
    request.actor = actor;
    request.sessionExpiresAt = expiresAt;
    if (!can(actor.role, rule.permission)) {
      throw new DomainException('FORBIDDEN', `The role ${actor.role} may not do this (needs ${rule.permission})`);
    }
    if (actor.scope && this.reflector.getAllAndOverride<boolean | undefined>(FLEET_WIDE, [context.getHandler(), context.getClass()])) {
      throw new DomainException('FORBIDDEN', 'This acts on the whole fleet; a user limited to a region may not do it');
    }
    setRequestScope(actor.scope ?? null);
    return true;
  }
}
