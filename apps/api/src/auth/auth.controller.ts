import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LoginResponse, SessionResponse } from '@fleet/shared';
import type { Request, Response } from 'express';
import { CurrentActor, Public, RequirePermission, type Actor } from '../common/authorization';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { UsersService, toUserResponse } from '../users/users.service';
import { LoginDto } from './auth.dto';
import { AuthService, SESSION_COOKIE } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @ApiOperation({ summary: 'Sign in; returns a Bearer token and sets the session cookie' })
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) response: Response): Promise<LoginResponse> {
    const result = await this.auth.login(body.username, body.password);
    response.cookie(SESSION_COOKIE, result.accessToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.cookieSecure,
      path: '/',
      expires: new Date(result.expiresAt),
    });
    return result;
  }

  @Post('logout')
  @HttpCode(204)
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Revoke the current session' })
  async logout(@CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(actor);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('session')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'The signed-in user and the session' })
  async session(@CurrentActor() actor: Actor, @Req() request: Request & { sessionExpiresAt?: Date }): Promise<SessionResponse> {
    const user = await this.users.getUser(actor.id);
    return {
      user: toUserResponse(user),
      demo: this.config.demo,
      expiresAt: (request.sessionExpiresAt ?? new Date()).toISOString(),
    };
  }
}
