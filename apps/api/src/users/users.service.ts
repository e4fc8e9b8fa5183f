/** Users and their roles; the first admin and the demo users are created at boot. */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomBytes } from 'node:crypto';
import type { Role, UserResponse } from '@fleet/shared';
import { AuditService } from '../audit/audit.service';
import { AuditedWriter, type AuditedRecordSpec } from '../audit/audited-writer';
import { hashPassword } from '../auth/password-hasher';
import { SYSTEM_ACTOR, type Actor } from '../common/authorization';
import { DomainException } from '../common/domain.exception';
import { duplicateField } from '../common/mapping';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import { UserEntity } from './user.entity';
import type { CreateUserDto, UpdateUserDto } from './users.dto';
import { USER_ACCESS_CHANGED, USER_DEACTIVATED, type UserAccessChangedEvent, type UserDeactivatedEvent } from './users.events';
import { UsersRepository } from './users.repository';

export const USER_RECORD: AuditedRecordSpec<UserEntity> = {
  entity: UserEntity,
  type: 'user',
  fields: ['username', 'displayName', 'role', 'active', 'regionId'],
  label: (user) => user.username,
};

export const DEMO_PASSWORD = 'fleet-demo-2026';
/** The demo's users; `regionCode` limits one to a region of the demo fleet. */
export const DEMO_USERS: { username: string; displayName: string; role: Role; regionCode?: string }[] = [
  { username: 'demo-admin', displayName: 'Demo administrator', role: 'admin' },
  { username: 'manager', displayName: '王经理 (fleet manager)', role: 'fleet_manager' },
  { username: 'buyer', displayName: '李采购 (procurement)', role: 'procurement' },
  { username: 'tech', displayName: '张师傅 (technician)', role: 'technician' },
  { username: 'tech-li', displayName: '李工 (technician)', role: 'technician' },
  { username: 'gd-tech', displayName: '黄师傅 (广东, technician)', role: 'technician', regionCode: 'GD' },
  { username: 'auditor', displayName: '赵审计 (auditor)', role: 'auditor' },
  { username: 'bj-manager', displayName: '刘主管 (北京, fleet manager)', role: 'fleet_manager', regionCode: 'BJ' },
];

export function toUserResponse(user: UserEntity): UserResponse {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    active: user.active,
    regionId: user.regionId,
    version: user.version,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly writer: AuditedWriter,
    private readonly transactions: TransactionRunner,
    private readonly events: EventEmitter2,
    private readonly regions: RegionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  findById(id: number): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findByUsername(username);
  }

  async getUser(id: number): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new DomainException('USER_NOT_FOUND', `No user ${id}`);
    return user;
  }

  async list(): Promise<UserResponse[]> {
    return (await this.users.list()).map(toUserResponse);
  }

  async create(actor: Pick<Actor, 'id' | 'username'>, request: CreateUserDto): Promise<UserResponse> {
    if (await this.users.findByUsername(request.username)) throw duplicateField('DUPLICATE_USERNAME', 'username', request.username);
    await this.checkScope(request.role, request.regionId ?? null);
    const passwordHash = await hashPassword(request.password);
    const user = await this.writer.create(actor, USER_RECORD, {
      username: request.username,
      displayName: request.displayName,
      passwordHash,
      role: request.role,
      active: true,
      regionId: request.regionId ?? null,
    });
    this.logger.log(`User ${user.username} created with role ${user.role}`);
    return toUserResponse(user);
  }

  async update(actor: Actor, id: number, request: UpdateUserDto, version: number): Promise<UserResponse> {
    const before = await this.getUser(id);
    const demotesLastAdmin =
      before.role === 'admin' && before.active && (request.active === false || (request.role !== undefined && request.role !== 'admin'));
    if (demotesLastAdmin && (await this.users.countByRole('admin')) <= 1) {
      throw DomainException.invalidField(request.active === false ? 'active' : 'role', 'lastAdmin', 'the last active admin cannot be disabled or demoted');
    }
    if (request.role !== undefined || request.regionId !== undefined) {
      await this.checkScope(request.role ?? before.role, request.regionId === undefined ? before.regionId : request.regionId);
    }
    const { version: _version, password, ...fields } = request;
    const changes: Partial<UserEntity> = { ...fields };
    if (password !== undefined) changes.passwordHash = await hashPassword(password);
    const after = await this.transactions.run(async (tx) => {
      const updated = await this.writer.update(actor, USER_RECORD, before, version, changes, tx);
      if (password !== undefined) {
        // The hash never goes into the log; that the password changed does.
        await this.audit.record(tx, actor, [{ entityType: 'user', entityId: id, entityLabel: before.username, action: 'update', changes: { password: { from: '***', to: '***' } } }]);
      }
      return updated;
    });
    if (before.active && after.active === false) {
      await this.events.emitAsync(USER_DEACTIVATED, { userId: id } satisfies UserDeactivatedEvent);
    } else if (before.role !== after.role || before.regionId !== after.regionId) {
      this.events.emit(USER_ACCESS_CHANGED, { userId: id } satisfies UserAccessChangedEvent);
    }
    return toUserResponse(after);
  }

  /** A scope is an existing region, and administrators keep the whole fleet (they manage what is shared). */
  private async checkScope(role: Role, regionId: number | null): Promise<void> {
    if (regionId === null) return;
    if (role === 'admin') throw DomainException.invalidField('regionId', 'adminUnscoped', 'regionId: an administrator sees the whole fleet; leave it empty');
    await this.regions.getRegion(regionId, 'regionId');
  }

  /**
   * Makes sure the configured admin exists. Its password comes from
   * ADMIN_PASSWORD or is generated and printed once, on the first start.
   */
  async ensureAdmin(): Promise<void> {
    if (await this.users.findByUsername(this.config.admin.username)) return;
    const password = this.config.admin.password ?? randomBytes(12).toString('base64url');
    await this.create(SYSTEM_ACTOR, { username: this.config.admin.username, displayName: 'Administrator', password, role: 'admin' });
    if (!this.config.admin.password) {
      // Printed once, on purpose: it is the only way to learn a generated first password.
      process.stdout.write(
        `\n  First start: created user "${this.config.admin.username}" with password: ${password}\n  (set ADMIN_PASSWORD to choose it; change it after signing in)\n\n`,
      );
    }
  }

  async ensureDemoUsers(): Promise<void> {
    for (const { regionCode, ...demo } of DEMO_USERS) {
      if (await this.users.findByUsername(demo.username)) continue;
      const region = regionCode ? await this.regions.findRegionByCode(regionCode) : null;
      if (regionCode && !region) continue;
      await this.create(SYSTEM_ACTOR, { ...demo, password: DEMO_PASSWORD, regionId: region?.id ?? null });
    }
  }
}
