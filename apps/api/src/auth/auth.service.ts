/**
 * Sessions: a login returns an opaque token usable as a Bearer token or as the
 * dashboard's httpOnly cookie; the database keeps only its hash, so a leaked
 * database cannot be replayed. Logout and disabling a user revoke sessions.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { LoginResponse } from '@fleet/shared';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { TransactionRunner } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import { UsersService, toUserResponse } from '../users/users.service';
import { verifyPassword } from './password-hasher';
import { SessionsRepository } from './sessions.repository';

export const SESSION_COOKIE = 'fleet_session';

// A fixed hash to verify against when the user does not exist, so the answer takes as long either way.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(86) + '==';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly regions: RegionsService,
  ) {}

  async login(username: string, password: string): Promise<LoginResponse> {
    const user = await this.users.findByUsername(username);
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid) {
      this.logger.log(`Failed login for ${JSON.stringify(username.slice(0, 64))}`);
      throw new DomainException('AUTH_INVALID_CREDENTIALS', 'Wrong username or password');
    }
    if (!user.active) throw new DomainException('AUTH_USER_DISABLED', 'This user is disabled');
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlHours * 3_600_000);
    await this.transactions.run((tx) => this.sessions.insert(tx, { tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt, revokedAt: null }));
    this.logger.log(`User ${user.username} logged in`);
    return { accessToken: token, expiresAt: expiresAt.toISOString(), user: toUserResponse(user) };
  }

  async logout(actor: Actor): Promise<void> {
    await this.transactions.run((tx) => this.sessions.revoke(tx, actor.sessionId, this.clock.now()));
  }

  async revokeAllSessions(userId: number): Promise<void> {
    await this.transactions.run((tx) => this.sessions.revokeAllOfUser(tx, userId, this.clock.now()));
    this.logger.log(`Sessions of user ${userId} revoked`);
  }

  /** The actor behind a token, or an AUTH_* exception. */
  async authenticate(token: string): Promise<{ actor: Actor; expiresAt: Date }> {
    const session = await this.sessions.findByTokenHash(hashToken(token));
    const now = this.clock.now();
    if (!session || session.revokedAt) throw new DomainException('AUTH_REQUIRED', 'Sign in to continue');
    if (session.expiresAt <= now) throw new DomainException('AUTH_SESSION_EXPIRED', 'The session has expired; sign in again');
    const user = await this.users.findById(session.userId);
    if (!user || !user.active) throw new DomainException('AUTH_REQUIRED', 'Sign in to continue');
    const scope = user.regionId === null ? null : { regionId: user.regionId, path: (await this.regions.getRegion(user.regionId)).path };
    return { actor: { id: user.id, username: user.username, role: user.role, sessionId: session.id, scope }, expiresAt: session.expiresAt };
  }
}
