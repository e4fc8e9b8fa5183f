import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { USER_DEACTIVATED, type UserDeactivatedEvent } from '../users/users.events';
import { AuthService } from './auth.service';

/** A disabled user's sessions are revoked (the guard already refuses them at once). */
@Injectable()
export class AuthListener {
  constructor(private readonly auth: AuthService) {}

  @OnEvent(USER_DEACTIVATED, { async: true, promisify: true })
  async onUserDeactivated(event: UserDeactivatedEvent): Promise<void> {
    await this.auth.revokeAllSessions(event.userId);
  }
}
