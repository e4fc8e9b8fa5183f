/**
 * Device credentials: issued, rotated and revoked by fleet managers, used by
 * terminals and gateways to post heartbeats. The token is shown once; only
 * its SHA-256 is stored. Lookups are cached for a few seconds so the hot path
 * does not read the database per request; a revocation on this instance
 * takes effect at once, on other instances within the cache's lifetime.
 */
import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { CreateGatewayRequest, DeviceCredentialResponse, IssuedCredentialResponse } from '@fleet/shared';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { TransactionRunner, type Tx } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import { TerminalsService } from '../terminals/terminals.service';
import type { DeviceCredentialEntity } from './device-credential.entity';
import { DeviceCredentialsRepository } from './device-credentials.repository';

export type DevicePrincipal =
  | { kind: 'terminal'; credentialId: number; terminalId: number }
  | { kind: 'gateway'; credentialId: number; regionId: number; regionIds: ReadonlySet<number> }
  /** In-process senders (the demo simulator); never the result of a token. */
  | { kind: 'system' };

const CACHE_MS = 30_000;
const PREFIX = { terminal: 'fdt_', gateway: 'fgw_' } as const;

export function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toResponse(credential: DeviceCredentialEntity): DeviceCredentialResponse {
  return {
    id: credential.id,
    kind: credential.kind,
    terminalId: credential.terminalId,
    regionId: credential.regionId,
    name: credential.name,
    hint: credential.hint,
    createdAt: credential.createdAt.toISOString(),
    createdBy: credential.createdBy,
    revokedAt: credential.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class DeviceCredentialsService {
  private readonly cache = new Map<string, { principal: DevicePrincipal; until: number }>();

  constructor(
    private readonly repository: DeviceCredentialsRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly terminals: TerminalsService,
    private readonly regions: RegionsService,
    private readonly clock: Clock,
  ) {}

  /** The device behind a token, or DEVICE_TOKEN_INVALID. */
  async authenticate(token: string): Promise<DevicePrincipal> {
    const hash = hashDeviceToken(token);
    const now = this.clock.now().getTime();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    this.cache.delete(hash);
    const credential = await this.repository.findByTokenHash(hash);
    if (!credential || credential.revokedAt) throw new DomainException('DEVICE_TOKEN_INVALID', 'Unknown or revoked device token');
    const principal: DevicePrincipal =
      credential.kind === 'terminal'
        ? { kind: 'terminal', credentialId: credential.id, terminalId: credential.terminalId! }
        : { kind: 'gateway', credentialId: credential.id, regionId: credential.regionId!, regionIds: new Set(await this.regions.subtreeIds(credential.regionId!)) };
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(hash, { principal, until: now + CACHE_MS });
    return principal;
  }

  async listForTerminal(terminalId: number): Promise<DeviceCredentialResponse[]> {
    await this.terminals.getTerminal(terminalId);
    return (await this.repository.listOfTerminal(terminalId)).map(toResponse);
  }

  /** Issues a terminal's credential; an active one is revoked in the same transaction (rotation). */
  async issueForTerminal(actor: Actor, terminalId: number): Promise<IssuedCredentialResponse> {
    const terminal = await this.terminals.getTerminal(terminalId);
    return this.transactions.run(async (tx) => {
      await this.revokeActive(tx, actor, terminalId, terminal.assetNumber);
      return this.issue(tx, actor, { kind: 'terminal', terminalId, regionId: null, name: null }, terminal.assetNumber);
    });
  }

  async revokeForTerminal(actor: Actor, terminalId: number): Promise<void> {
    const terminal = await this.terminals.getTerminal(terminalId);
    const revoked = await this.transactions.run((tx) => this.revokeActive(tx, actor, terminalId, terminal.assetNumber));
    if (revoked === 0) throw new DomainException('CREDENTIAL_NOT_FOUND', `Terminal ${terminal.assetNumber} has no active credential`);
  }

  async listGateways(): Promise<DeviceCredentialResponse[]> {
    return (await this.repository.listGateways()).map(toResponse);
  }

  async createGateway(actor: Actor, request: CreateGatewayRequest): Promise<IssuedCredentialResponse> {
    await this.regions.getRegion(request.regionId);
    return this.transactions.run((tx) => this.issue(tx, actor, { kind: 'gateway', terminalId: null, regionId: request.regionId, name: request.name }, request.name));
  }

  /** A new token for the same gateway (name and region); the old one stops working. */
  async rotateGateway(actor: Actor, id: number): Promise<IssuedCredentialResponse> {
    const gateway = await this.activeGateway(id);
    return this.transactions.run(async (tx) => {
      await this.revokeOne(tx, actor, gateway);
      return this.issue(tx, actor, { kind: 'gateway', terminalId: null, regionId: gateway.regionId, name: gateway.name }, gateway.name ?? `gateway ${id}`);
    });
  }

  async revokeGateway(actor: Actor, id: number): Promise<void> {
    const gateway = await this.activeGateway(id);
    await this.transactions.run((tx) => this.revokeOne(tx, actor, gateway));
  }

  private async activeGateway(id: number): Promise<DeviceCredentialEntity> {
    const gateway = await this.repository.findById(id);
    if (!gateway || gateway.kind !== 'gateway' || gateway.revokedAt) throw new DomainException('CREDENTIAL_NOT_FOUND', `No active gateway credential ${id}`);
    return gateway;
  }

  private async issue(tx: Tx, actor: Actor, fields: Pick<DeviceCredentialEntity, 'kind' | 'terminalId' | 'regionId' | 'name'>, label: string): Promise<IssuedCredentialResponse> {
    const token = `${PREFIX[fields.kind]}${randomBytes(32).toString('base64url')}`;
    const credential = await this.repository.insert(tx, {
      ...fields,
      tokenHash: hashDeviceToken(token),
      hint: token.slice(-4),
      createdAt: this.clock.now(),
      createdBy: actor.username,
      revokedAt: null,
      revokedBy: null,
    });
    await this.audit.record(tx, actor, [
      {
        entityType: 'device_credential',
        entityId: credential.id,
        entityLabel: label,
        action: 'create',
        changes: { kind: { from: null, to: fields.kind }, terminalId: { from: null, to: fields.terminalId }, regionId: { from: null, to: fields.regionId }, hint: { from: null, to: credential.hint } },
      },
    ]);
    return { ...toResponse(credential), token };
  }

  private async revokeActive(tx: Tx, actor: Actor, terminalId: number, label: string): Promise<number> {
    const active = await this.repository.activeOfTerminal(tx, terminalId);
    for (const credential of active) await this.revokeOne(tx, actor, credential, label);
    return active.length;
  }

  private async revokeOne(tx: Tx, actor: Actor, credential: DeviceCredentialEntity, label = credential.name ?? `credential ${credential.id}`): Promise<void> {
    const at = this.clock.now();
    if (!(await this.repository.revoke(tx, credential.id, at, actor.username))) return;
    this.cache.delete(credential.tokenHash);
    await this.audit.record(tx, actor, [
      { entityType: 'device_credential', entityId: credential.id, entityLabel: label, action: 'revoke', changes: { revokedAt: { from: null, to: at.toISOString() } } },
    ]);
  }
}
