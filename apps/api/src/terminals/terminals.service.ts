/**
 * The terminal inventory: numbering, references, warranty defaults, the
 * lifecycle, optimistic concurrency, and an audit entry for every change.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  allowedTransitions,
  canTransition,
  formatAssetNumber,
  TERMINAL_STATUSES,
  WARRANTY_WINDOWS,
  type AuditEntryResponse,
  type Page,
  type TerminalResponse,
  type TerminalStatus,
  type TerminalSummaryResponse,
} from '@fleet/shared';
import { AuditService } from '../audit/audit.service';
import { diffFields } from '../audit/audit-diff';
import { CatalogService } from '../catalog/catalog.service';
import type { ModelEntity } from '../catalog/model.entity';
import { pageOf } from '../common/api-dtos';
import type { Actor } from '../common/authorization';
import { addDays, addMonths, Clock } from '../common/clock';
import { requestScope, withinScope } from '../common/request-scope';
import { DomainException } from '../common/domain.exception';
import { duplicateField, timestamps } from '../common/mapping';
import { versionConflict } from '../common/versioning';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionRunner, type Tx } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import { InsurancePoliciesService } from '../warranties/insurance-policies.service';
import { TerminalEntity } from './terminal.entity';
import { TERMINALS_CHANGED, type TerminalsChangedEvent } from './terminals.events';
import type { CreateTerminalDto, ListTerminalsQueryDto, UpdateTerminalDto } from './terminals.dto';
import { TerminalsRepository, type TerminalAttributesRow, type TerminalFilter, type WarrantyEndingRow } from './terminals.repository';

/** The fields whose changes the audit log keeps. */
export const TERMINAL_AUDITED_FIELDS = [
  'assetNumber',
  'serialNumber',
  'modelId',
  'supplierId',
  'category',
  'regionId',
  'merchantId',
  'custodian',
  'status',
  'purchaseDate',
  'purchasePrice',
  'currency',
  'batch',
  'firmwareVersion',
  'appVersion',
  'warrantyStart',
  'warrantyEnd',
  'warrantyTerms',
  'warrantyProvider',
  'insurancePolicyId',
  'notes',
] as const satisfies readonly (keyof TerminalEntity)[];

/** Statuses in which a unit may be deleted outright; others are retired first. */
const DELETABLE: readonly TerminalStatus[] = ['in_stock', 'retired', 'disposed'];
/** How long the overview's totals are reused (the overview refreshes them each minute). */
const SUMMARY_TTL_MS = 30_000;

export type TerminalFields = Omit<TerminalEntity, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'model' | 'supplier' | 'region' | 'merchant' | 'insurancePolicy'>;

export function toTerminalResponse(t: TerminalEntity): TerminalResponse {
  return {
    id: t.id,
    assetNumber: t.assetNumber,
    serialNumber: t.serialNumber,
    model: { id: t.modelId, name: t.model?.name ?? '' },
    supplier: { id: t.supplierId, name: t.supplier?.name ?? '' },
    category: t.category,
    region: { id: t.regionId, name: t.region?.name ?? '', code: t.region?.code ?? '' },
    merchant: t.merchantId ? { id: t.merchantId, name: t.merchant?.name ?? '' } : null,
    custodian: t.custodian,
    status: t.status,
    purchaseDate: t.purchaseDate,
    purchasePrice: t.purchasePrice,
    currency: t.currency,
    batch: t.batch,
    firmwareVersion: t.firmwareVersion,
    appVersion: t.appVersion,
    warrantyStart: t.warrantyStart,
    warrantyEnd: t.warrantyEnd,
    warrantyTerms: t.warrantyTerms,
    warrantyProvider: t.warrantyProvider,
    insurancePolicy: t.insurancePolicyId
      ? { id: t.insurancePolicyId, name: t.insurancePolicy?.insurer ?? '', policyNumber: t.insurancePolicy?.policyNumber ?? '' }
      : null,
    notes: t.notes,
    ...timestamps(t),
  };
}

/** Warranty defaults: from the purchase date, for the model's default length. */
export function defaultWarranty(
  model: Pick<ModelEntity, 'defaultWarrantyMonths'>,
  purchaseDate: string | null,
  start: string | null | undefined,
  end: string | null | undefined,
): { warrantyStart: string | null; warrantyEnd: string | null } {
  const warrantyStart = start === undefined ? purchaseDate : start;
  const warrantyEnd = end === undefined ? (warrantyStart && model.defaultWarrantyMonths > 0 ? addMonths(warrantyStart, model.defaultWarrantyMonths) : null) : end;
  return { warrantyStart, warrantyEnd };
}

@Injectable()
export class TerminalsService {
  private readonly logger = new Logger(TerminalsService.name);
  /** Overview totals by region scope ('' for the whole fleet). */
  private readonly summaries = new Map<string, { until: number; value: TerminalSummaryResponse }>();

  constructor(
    private readonly repository: TerminalsRepository,
    private readonly catalog: CatalogService,
    private readonly regions: RegionsService,
    private readonly policies: InsurancePoliciesService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventEmitter2,
  ) {}

  /** Tells live health (and whoever listens) which terminals were added, changed or removed, once committed. */
  private changed(tx: Tx, ids: number[]): void {
    this.transactions.afterCommit(tx, () => this.events.emit(TERMINALS_CHANGED, { ids } satisfies TerminalsChangedEvent));
  }

  /** id, region, model, supplier and status of every terminal, a chunk at a time. */
  streamAttributes(): AsyncGenerator<TerminalAttributesRow[]> {
    return this.repository.streamAttributes();
  }

  attributesOf(ids: number[]): Promise<TerminalAttributesRow[]> {
    return this.repository.attributesOf(ids);
  }

  assetNumbersOf(ids: number[]): Promise<Map<number, string>> {
    return this.repository.assetNumbersOf(ids);
  }

  warrantyEnding(from: string, to: string): Promise<WarrantyEndingRow[]> {
    return this.repository.warrantyEnding(from, to);
  }

  poolCounts(): Promise<{ regionId: number; deployed: number; spare: number }[]> {
    return this.repository.poolCounts();
  }

  async list(query: ListTerminalsQueryDto): Promise<Page<TerminalResponse>> {
    const { page, pageSize, offset } = pageOf(query);
    const [rows, total] = await this.repository.list(await this.toFilter(query), offset, pageSize);
    return { items: rows.map(toTerminalResponse), total, page, pageSize };
  }

  /** Pages of matching terminals for the CSV export. */
  async *stream(query: Omit<ListTerminalsQueryDto, 'page' | 'pageSize'>): AsyncGenerator<TerminalEntity[]> {
    yield* this.repository.stream(await this.toFilter(query));
  }

  /** A terminal by id; one outside the user's region scope is not found, as if it did not exist. */
  /**
   * Lifecycle and warranty totals for the overview, kept for SUMMARY_TTL_MS
   * per region scope: a wall of dashboards opening at once costs two queries.
   */
  async summary(): Promise<TerminalSummaryResponse> {
    const scopePath = requestScope()?.path;
    const key = scopePath ?? '';
    const now = this.clock.now().getTime();
    const cached = this.summaries.get(key);
    if (cached && cached.until > now) return cached.value;
    const today = this.clock.today();
    const { byStatus, ending } = await this.repository.summary(today, WARRANTY_WINDOWS.map((days) => addDays(today, days)), scopePath);
    const value: TerminalSummaryResponse = {
      asOf: new Date(now).toISOString(),
      byStatus: Object.fromEntries(TERMINAL_STATUSES.map((status) => [status, byStatus.get(status) ?? 0])) as Record<TerminalStatus, number>,
      warrantyEndingWithin: Object.fromEntries(WARRANTY_WINDOWS.map((days, index) => [days, ending[index]!])) as TerminalSummaryResponse['warrantyEndingWithin'],
    };
    this.summaries.set(key, { until: now + SUMMARY_TTL_MS, value });
    return value;
  }

  async getTerminal(id: number): Promise<TerminalEntity> {
    const terminal = await this.repository.findById(id);
    const scope = requestScope();
    if (!terminal || (scope && !withinScope(scope, (await this.regions.getRegion(terminal.regionId)).path))) {
      throw new DomainException('TERMINAL_NOT_FOUND', `No terminal ${id}`);
    }
    return terminal;
  }

  async describe(id: number): Promise<TerminalResponse> {
    return toTerminalResponse(await this.getTerminal(id));
  }

  findBySerial(serialNumber: string): Promise<TerminalEntity | null> {
    return this.repository.findBySerial(serialNumber);
  }

  findByAssetNumbersOrSerials(assetNumbers: string[], serials: string[]): Promise<TerminalEntity[]> {
    return this.repository.findByAssetNumbersOrSerials(assetNumbers, serials);
  }

  countTerminals(): Promise<number> {
    return this.repository.count();
  }

  async create(actor: Pick<Actor, 'id' | 'username'>, request: CreateTerminalDto, tx?: Tx): Promise<TerminalResponse> {
    const fields = await this.prepareNew(request);
    const created = tx ? await this.insertNew(tx, actor, fields, 'create') : await this.transactions.run((t) => this.insertNew(t, actor, fields, 'create'));
    this.logger.debug(`Terminal ${created.assetNumber} created`);
    return this.describe(created.id);
  }

  /**
   * Checks a new terminal's references and fills the defaults, without
   * writing. Imports call it per row to report every problem before writing.
   */
  async prepareNew(request: CreateTerminalDto): Promise<TerminalFields> {
    const [model, region] = await Promise.all([this.catalog.getModel(request.modelId), this.regions.getRegion(request.regionId)]);
    if (!withinScope(requestScope(), region.path)) throw DomainException.invalidField('regionId', 'outsideScope', 'regionId: outside the region you are limited to');
    await this.catalog.getSupplier(request.supplierId);
    if (request.merchantId) await this.regions.getMerchant(request.merchantId);
    if (request.insurancePolicyId) await this.policies.getPolicy(request.insurancePolicyId);
    if (await this.repository.findBySerial(request.serialNumber)) throw duplicateField('DUPLICATE_SERIAL_NUMBER', 'serialNumber', request.serialNumber);
    this.assertDates(request.purchaseDate ?? null);
    const purchaseDate = request.purchaseDate ?? null;
    const warranty = defaultWarranty(model, purchaseDate, request.warrantyStart, request.warrantyEnd);
    this.assertWarranty(warranty.warrantyStart, warranty.warrantyEnd);
    return {
      assetNumber: '',
      serialNumber: request.serialNumber,
      modelId: model.id,
      supplierId: request.supplierId,
      category: request.category ?? model.category,
      regionId: region.id,
      merchantId: request.merchantId ?? null,
      custodian: request.custodian ?? null,
      status: request.status ?? 'in_stock',
      purchaseDate,
      purchasePrice: request.purchasePrice ?? null,
      currency: request.currency ?? 'CNY',
      batch: request.batch ?? null,
      firmwareVersion: request.firmwareVersion ?? null,
      appVersion: request.appVersion ?? null,
      ...warranty,
      warrantyTerms: request.warrantyTerms ?? null,
      warrantyProvider: request.warrantyProvider ?? null,
      insurancePolicyId: request.insurancePolicyId ?? null,
      notes: request.notes ?? null,
    };
  }

  /** Allocates the asset number and inserts, inside the caller's transaction. */
  async insertNew(tx: Tx, actor: Pick<Actor, 'id' | 'username'>, fields: TerminalFields, action: 'create' | 'import'): Promise<TerminalEntity> {
    const [terminal] = await this.insertMany(tx, actor, [fields], action);
    if (!terminal) throw new Error('insert returned no row');
    return terminal;
  }

  /**
   * Numbers and inserts many terminals at once (imports, the demo fleet): one
   * sequence bump per region, multi-row inserts, one audit entry per terminal.
   */
  async insertMany(tx: Tx, actor: Pick<Actor, 'id' | 'username'>, rows: TerminalFields[], action: 'create' | 'import'): Promise<TerminalEntity[]> {
    const byRegion = new Map<number, TerminalFields[]>();
    for (const row of rows) {
      const list = byRegion.get(row.regionId) ?? [];
      list.push(row);
      byRegion.set(row.regionId, list);
    }
    const now = this.clock.now();
    const numbered: Omit<TerminalEntity, 'id'>[] = [];
    for (const [regionId, list] of byRegion) {
      const region = await this.regions.getRegion(regionId);
      const first = await this.regions.nextSequence(tx, regionId, list.length);
      list.forEach((fields, index) => {
        const assetNumber = formatAssetNumber({ prefix: this.config.assetPrefix, regionCode: region.code, sequence: first + index }, this.config.assetSequenceWidth);
        numbered.push({ ...fields, assetNumber, version: 1, createdAt: now, updatedAt: now });
      });
    }
    const terminals = await this.repository.insertMany(tx, numbered);
    this.changed(tx, terminals.map((terminal) => terminal.id));
    await this.audit.record(
      tx,
      actor,
      terminals.map((terminal) => ({ entityType: 'terminal', entityId: terminal.id, entityLabel: terminal.assetNumber, action, changes: diffFields(null, { ...terminal }, TERMINAL_AUDITED_FIELDS) })),
    );
    return terminals;
  }

  async update(actor: Pick<Actor, 'id' | 'username'>, id: number, request: UpdateTerminalDto, version: number, tx?: Tx): Promise<TerminalResponse> {
    const before = await this.getTerminal(id);
    const changes = await this.prepareUpdate(before, request);
    const work = (t: Tx) => this.applyUpdate(t, actor, before, version, changes, 'update');
    await (tx ? work(tx) : this.transactions.run(work));
    return this.describe(id);
  }

  /** Checks an update's references and consistency, without writing. */
  async prepareUpdate(before: TerminalEntity, request: UpdateTerminalDto): Promise<Partial<TerminalFields>> {
    const { version: _version, ...changes } = request;
    if (changes.modelId !== undefined) await this.catalog.getModel(changes.modelId);
    if (changes.supplierId !== undefined) await this.catalog.getSupplier(changes.supplierId);
    if (changes.merchantId) await this.regions.getMerchant(changes.merchantId);
    if (changes.insurancePolicyId) await this.policies.getPolicy(changes.insurancePolicyId);
    if (changes.serialNumber !== undefined && changes.serialNumber !== before.serialNumber) {
      const other = await this.repository.findBySerial(changes.serialNumber);
      if (other && other.id !== before.id) throw duplicateField('DUPLICATE_SERIAL_NUMBER', 'serialNumber', changes.serialNumber);
    }
    if (changes.purchaseDate !== undefined) this.assertDates(changes.purchaseDate);
    this.assertWarranty(
      changes.warrantyStart === undefined ? before.warrantyStart : changes.warrantyStart,
      changes.warrantyEnd === undefined ? before.warrantyEnd : changes.warrantyEnd,
    );
    return changes as Partial<TerminalFields>;
  }

  async applyUpdate(
    tx: Tx,
    actor: Pick<Actor, 'id' | 'username'>,
    before: TerminalEntity,
    version: number,
    changes: Partial<TerminalFields>,
    action: 'update' | 'import' | 'transition',
    reason?: string | null,
  ): Promise<void> {
    if (before.version !== version) throw versionConflict('terminal', before.id, before.version);
    const diff = diffFields({ ...before }, { ...before, ...changes }, TERMINAL_AUDITED_FIELDS);
    if (Object.keys(diff).length === 0) return;
    if (!(await this.repository.updateIfVersion(tx, before.id, version, { ...changes, updatedAt: this.clock.now() }))) {
      throw versionConflict('terminal', before.id, before.version);
    }
    this.changed(tx, [before.id]);
    await this.audit.record(tx, actor, [{ entityType: 'terminal', entityId: before.id, entityLabel: before.assetNumber, action, changes: diff, reason }]);
  }

  async transition(actor: Actor, id: number, to: TerminalStatus, version: number, reason?: string): Promise<TerminalResponse> {
    const before = await this.getTerminal(id);
    this.assertTransition(before.status, to);
    await this.transactions.run((tx) => this.applyUpdate(tx, actor, before, version, { status: to }, 'transition', reason ?? null));
    this.logger.log(`Terminal ${before.assetNumber}: ${before.status} → ${to} by ${actor.username}`);
    return this.describe(id);
  }

  assertTransition(from: TerminalStatus, to: TerminalStatus, field = 'to'): void {
    if (!canTransition(from, to)) {
      throw new DomainException('TERMINAL_INVALID_TRANSITION', `A terminal cannot go from ${from} to ${to}`, {
        from,
        to,
        allowed: allowedTransitions(from),
        fields: [{ field, code: 'invalidTransition', message: `${from} → ${to} is not allowed` }],
      });
    }
  }

  async remove(actor: Actor, id: number): Promise<void> {
    const terminal = await this.getTerminal(id);
    if (!DELETABLE.includes(terminal.status)) {
      throw new DomainException('RECORD_IN_USE', `A ${terminal.status} terminal cannot be deleted; retire it first`, { status: terminal.status });
    }
    await this.transactions.run(async (tx) => {
      await this.repository.remove(tx, id);
      this.changed(tx, [id]);
      await this.audit.record(tx, actor, [
        { entityType: 'terminal', entityId: id, entityLabel: terminal.assetNumber, action: 'delete', changes: diffFields({ ...terminal }, null, TERMINAL_AUDITED_FIELDS) },
      ]);
    });
    this.logger.log(`Terminal ${terminal.assetNumber} deleted by ${actor.username}`);
  }

  async history(id: number, page?: number, pageSize?: number): Promise<Page<AuditEntryResponse>> {
    await this.getTerminal(id);
    return this.audit.list({ entityType: 'terminal', entityId: id, page, pageSize });
  }

  private async toFilter(query: Omit<ListTerminalsQueryDto, 'page' | 'pageSize'>): Promise<TerminalFilter> {
    const { regionId, ...rest } = query;
    const today = this.clock.today();
    return {
      ...rest,
      today,
      regionPath: regionId ? (await this.regions.getRegion(regionId)).path : undefined,
      scopePath: requestScope()?.path,
      warrantyEndsBy: query.warrantyEndingWithinDays !== undefined ? addDays(today, query.warrantyEndingWithinDays) : undefined,
    };
  }

  private assertDates(purchaseDate: string | null): void {
    if (purchaseDate && purchaseDate > this.clock.today()) {
      throw DomainException.invalidField('purchaseDate', 'inFuture', 'purchaseDate cannot be in the future');
    }
  }

  private assertWarranty(start: string | null, end: string | null): void {
    if (start && end && end < start) throw DomainException.invalidField('warrantyEnd', 'beforeStart', 'warrantyEnd must be on or after warrantyStart');
  }
}
