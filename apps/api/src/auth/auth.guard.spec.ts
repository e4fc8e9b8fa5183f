import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException } from '../common/domain.exception';
import { Public, RequireDevice, RequirePermission, type Actor } from '../common/authorization';
import { AuthGuard, tokenFrom } from './auth.guard';
import type { AuthService } from './auth.service';

class Routes {
  @Public()
  open(): void {}

  @RequirePermission('terminals:write')
  write(): void {}

  @RequireDevice()
  report(): void {}

  unruled(): void {}
}

type FakeRequest = { headers: Record<string, string>; actor?: Actor; device?: unknown; cookies?: Record<string, string> };

function contextFor(handler: keyof Routes, headers: Record<string, string> = {}, cookies?: Record<string, string>): { context: ExecutionContext; request: FakeRequest } {
  const request: FakeRequest = { headers, ...(cookies ? { cookies } : {}) };
  const context = {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

function guardWith(role: Actor['role']): AuthGuard {
  const auth = {
    authenticate: jest.fn(async () => ({ actor: { id: 7, username: 'u', role, sessionId: 1 }, expiresAt: new Date() })),
  } as unknown as AuthService;
  const devices = { authenticate: jest.fn(async (token: string) => ({ kind: 'terminal', credentialId: 1, terminalId: token.length })) };
  return new AuthGuard(new Reflector(), auth, devices as never);
}

const TOKEN = 'a'.repeat(43);

describe(AuthGuard.name, () => {
  it('should take a device token on a device route and put the device on the request', async () => {
    const { context, request } = contextFor('report', { authorization: `Bearer fdt_${TOKEN}` });
    await expect(guardWith('admin').canActivate(context)).resolves.toBe(true);
    expect(request.device).toEqual({ kind: 'terminal', credentialId: 1, terminalId: 47 });
    expect(request.actor).toBeUndefined();
  });

  it("should refuse a user's session on a device route, by header or by cookie", async () => {
    await expect(guardWith('admin').canActivate(contextFor('report', { authorization: `Bearer ${TOKEN}` }).context)).rejects.toMatchObject({ code: 'DEVICE_TOKEN_INVALID' });
    await expect(guardWith('admin').canActivate(contextFor('report', {}, { fleet_session: TOKEN }).context)).rejects.toMatchObject({ code: 'DEVICE_TOKEN_INVALID' });
  });

  it('should let anyone call a public route', async () => {
    await expect(guardWith('auditor').canActivate(contextFor('open').context)).resolves.toBe(true);
  });

  it('should refuse a route that declares no rule, even to an admin', async () => {
    await expect(guardWith('admin').canActivate(contextFor('unruled', { authorization: `Bearer ${TOKEN}` }).context)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('should ask for a session when no token is given', async () => {
    await expect(guardWith('admin').canActivate(contextFor('write').context)).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it.each([
    ['admin', true],
    ['fleet_manager', true],
    ['procurement', false],
    ['technician', false],
    ['auditor', false],
  ] as const)('should let %s write terminals: %s', async (role, allowed) => {
    const { context, request } = contextFor('write', { authorization: `Bearer ${TOKEN}` });
    const outcome = guardWith(role).canActivate(context);
    if (allowed) {
      await expect(outcome).resolves.toBe(true);
      expect(request.actor?.role).toBe(role);
    } else {
      await expect(outcome).rejects.toBeInstanceOf(DomainException);
    }
  });
});

describe(tokenFrom.name, () => {
  it('should read a Bearer token first, then the session cookie', () => {
    expect(tokenFrom({ headers: { authorization: `Bearer ${TOKEN}` }, cookies: { fleet_session: 'cookie-token' } })).toBe(TOKEN);
    expect(tokenFrom({ headers: {}, cookies: { fleet_session: 'cookie-token' } })).toBe('cookie-token');
    expect(tokenFrom({ headers: { authorization: 'Basic abc' } })).toBeNull();
  });
});
