/**
 * CSV import of terminals in two steps: a dry run that checks every row and
 * reports every error (with progress for large files), then, on request, the
 * write of all rows in one transaction. A file with errors writes nothing
 * unless the user asks for the valid rows only.
 */
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { isTerminalStatus, TERMINAL_STATUSES, type ImportJobResponse, type ImportRowError, type TerminalCsvColumn, type TerminalStatus } from '@fleet/shared';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CatalogService } from '../catalog/catalog.service';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { flattenValidationErrors } from '../common/validation';
import { TransactionRunner, type Tx } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import type { TerminalEntity } from '../terminals/terminal.entity';
import { CreateTerminalDto, UpdateTerminalDto } from '../terminals/terminals.dto';
import { TerminalsService } from '../terminals/terminals.service';
import { InsurancePoliciesService } from '../warranties/insurance-policies.service';
import { decodeCsv, parseTerminalCsv, type CsvRecord } from './csv-rows';
import type { ImportJobEntity } from './import-job.entity';
import { ImportsRepository } from './imports.repository';

const MAX_REPORTED_ERRORS = 1000;
const CHUNK = 250;

/** Request fields that come from a differently named CSV column. */
const COLUMN_OF_FIELD: Record<string, TerminalCsvColumn> = {
  modelId: 'model',
  supplierId: 'supplier',
  regionId: 'regionCode',
  merchantId: 'merchant',
  insurancePolicyId: 'insurancePolicy',
};

type RowPlan =
  | { kind: 'create'; row: number; request: CreateTerminalDto }
  | { kind: 'update'; row: number; terminal: TerminalEntity; request: UpdateTerminalDto; status?: TerminalStatus };

type RowOutcome = { plan: RowPlan; errors: [] } | { plan: null; errors: ImportRowError[] };

export function toImportJobResponse(job: ImportJobEntity, processedRows = job.processedRows): ImportJobResponse {
  return {
    id: job.id,
    fileName: job.fileName,
    status: job.status,
    totalRows: job.totalRows,
    processedRows,
    validRows: job.validRows,
    errorRows: job.errorRows,
    toCreate: job.toCreate,
    toUpdate: job.toUpdate,
    created: job.created,
    updated: job.updated,
    errors: job.errors,
    failure: job.failure,
    createdBy: job.createdBy,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

function rowError(row: number, field: string, code: string, message: string): ImportRowError {
  return { row, field: COLUMN_OF_FIELD[field] ?? field, code, message };
}

function numberCell(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

@Injectable()
export class ImportsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImportsService.name);
  /** Rows done so far of the jobs this instance is working on. */
  private readonly progress = new Map<number, number>();

  constructor(
    private readonly repository: ImportsRepository,
    private readonly terminals: TerminalsService,
    private readonly catalog: CatalogService,
    private readonly regions: RegionsService,
    private readonly policies: InsurancePoliciesService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * A job the process was working on when it stopped can never finish (its
   * transaction was rolled back): say so instead of showing it running forever.
   * This assumes one API instance; several instances need a lease per job.
   */
  async onApplicationBootstrap(): Promise<void> {
    const interrupted = await this.transactions.run((tx) => this.repository.failInterrupted(tx, this.clock.now()));
    if (interrupted > 0) this.logger.warn(`${interrupted} import(s) interrupted by the last stop marked failed`);
  }

  /** Stores the file and starts the dry run; the job is returned at once and polled for progress. */
  async start(actor: Actor, fileName: string, bytes: Buffer): Promise<ImportJobResponse> {
    const content = decodeCsv(bytes);
    const records = parseTerminalCsv(content);
    const job = await this.transactions.run((tx) =>
      this.repository.insert(tx, {
        fileName: fileName.slice(0, 255),
        status: 'validating',
        content,
        totalRows: records.length,
        processedRows: 0,
        validRows: 0,
        errorRows: 0,
        toCreate: 0,
        toUpdate: 0,
        created: 0,
        updated: 0,
        errors: [],
        failure: null,
        createdById: actor.id,
        createdBy: actor.username,
        createdAt: this.clock.now(),
        finishedAt: null,
      }),
    );
    this.logger.log(`Import ${job.id} (${records.length} rows) started by ${actor.username}`);
    void this.validateJob(job.id, records);
    return toImportJobResponse(job);
  }

  async describe(id: number): Promise<ImportJobResponse> {
    const job = await this.getJob(id);
    return toImportJobResponse(job, this.progress.get(id) ?? job.processedRows);
  }

  async apply(actor: Actor, id: number, onlyValidRows: boolean): Promise<ImportJobResponse> {
    const job = await this.getJob(id);
    if (job.status === 'applied' || job.status === 'applying') throw new DomainException('IMPORT_ALREADY_APPLIED', `Import ${id} is ${job.status}`);
    if (job.status !== 'validated') throw new DomainException('CONFLICT', `Import ${id} is ${job.status}; wait until it is validated`);
    if (job.errorRows > 0 && !onlyValidRows) {
      throw new DomainException('IMPORT_HAS_ERRORS', `Import ${id} has ${job.errorRows} rows with errors; fix the file or import only the valid rows`, {
        errorRows: job.errorRows,
      });
    }
    const moved = await this.transactions.run((tx) => this.repository.transition(tx, id, 'validated', 'applying'));
    if (!moved) throw new DomainException('IMPORT_ALREADY_APPLIED', `Import ${id} is already being applied`);
    this.progress.set(id, 0);
    void this.applyJob(actor, id, parseTerminalCsv(job.content), onlyValidRows);
    return toImportJobResponse({ ...job, status: 'applying' }, 0);
  }

  private async getJob(id: number): Promise<ImportJobEntity> {
    const job = await this.repository.findById(id);
    if (!job) throw new DomainException('IMPORT_NOT_FOUND', `No import ${id}`);
    return job;
  }

  private async validateJob(id: number, records: CsvRecord[]): Promise<void> {
    try {
      const errors: ImportRowError[] = [];
      let validRows = 0;
      let toCreate = 0;
      let toUpdate = 0;
      let errorRows = 0;
      await this.planRows(id, records, async (outcome) => {
        if (outcome.plan) {
          validRows++;
          if (outcome.plan.kind === 'create') toCreate++;
          else toUpdate++;
        } else {
          errorRows++;
          errors.push(...outcome.errors.slice(0, Math.max(0, MAX_REPORTED_ERRORS - errors.length)));
        }
      });
      await this.transactions.run((tx) =>
        this.repository.update(tx, id, { status: 'validated', processedRows: records.length, validRows, errorRows, toCreate, toUpdate, errors }),
      );
      this.logger.log(`Import ${id} checked: ${validRows} valid rows, ${errorRows} with errors`);
    } catch (error) {
      await this.fail(id, error);
    } finally {
      this.progress.delete(id);
    }
  }

  private async applyJob(actor: Actor, id: number, records: CsvRecord[], onlyValidRows: boolean): Promise<void> {
    try {
      const result = await this.transactions.run(async (tx) => {
        let created = 0;
        let updated = 0;
        await this.planRows(id, records, async (outcome) => {
          if (!outcome.plan) {
            if (onlyValidRows) return;
            const first = outcome.errors[0];
            throw new Error(`row ${first?.row}: ${first?.field}: ${first?.message}`);
          }
          await this.write(tx, actor, outcome.plan);
          if (outcome.plan.kind === 'create') created++;
          else updated++;
        });
        await this.repository.update(tx, id, { status: 'applied', created, updated, processedRows: records.length, finishedAt: this.clock.now() });
        return { created, updated };
      });
      this.logger.log(`Import ${id} applied by ${actor.username}: ${result.created} created, ${result.updated} updated`);
    } catch (error) {
      await this.fail(id, error);
    } finally {
      this.progress.delete(id);
    }
  }

  private async write(tx: Tx, actor: Actor, plan: RowPlan): Promise<void> {
    if (plan.kind === 'create') {
      const fields = await this.terminals.prepareNew(plan.request);
      await this.terminals.insertNew(tx, actor, fields, 'import');
    } else {
      const changes = await this.terminals.prepareUpdate(plan.terminal, plan.request);
      if (plan.status) changes.status = plan.status;
      await this.terminals.applyUpdate(tx, actor, plan.terminal, plan.terminal.version, changes, 'import');
    }
  }

  private async fail(id: number, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(`Import ${id} failed: ${message}`);
    await this.transactions.run((tx) => this.repository.update(tx, id, { status: 'failed', failure: message.slice(0, 2000), finishedAt: this.clock.now() }));
  }

  /** Checks every row, in chunks so the server keeps answering, and hands each outcome on. */
  private async planRows(id: number, records: CsvRecord[], onRow: (outcome: RowOutcome) => Promise<void>): Promise<void> {
    const seenSerials = new Set<string>();
    const seenAssets = new Set<string>();
    for (let start = 0; start < records.length; start += CHUNK) {
      const chunk = records.slice(start, start + CHUNK);
      const existing = await this.terminals.findByAssetNumbersOrSerials(
        chunk.flatMap((r) => (r.assetNumber ? [r.assetNumber] : [])),
        chunk.flatMap((r) => (r.serialNumber ? [r.serialNumber.toUpperCase()] : [])),
      );
      for (const [index, record] of chunk.entries()) {
        const row = start + index + 1;
        const outcome = await this.planRow(row, record, existing, seenSerials, seenAssets);
        await onRow(outcome);
      }
      this.progress.set(id, Math.min(records.length, start + CHUNK));
      await yieldToEventLoop();
    }
  }

  private async planRow(row: number, record: CsvRecord, existing: TerminalEntity[], seenSerials: Set<string>, seenAssets: Set<string>): Promise<RowOutcome> {
    const errors: ImportRowError[] = [];
    const serial = record.serialNumber?.toUpperCase();
    let terminal: TerminalEntity | undefined;
    if (record.assetNumber) {
      terminal = existing.find((t) => t.assetNumber === record.assetNumber);
      if (!terminal) errors.push(rowError(row, 'assetNumber', 'notFound', 'no terminal has this asset number (leave it empty for a new terminal)'));
      if (seenAssets.has(record.assetNumber)) errors.push(rowError(row, 'assetNumber', 'duplicateInFile', 'this asset number appears on an earlier row'));
      seenAssets.add(record.assetNumber);
    } else if (serial) {
      terminal = existing.find((t) => t.serialNumber === serial);
    }
    if (serial) {
      if (seenSerials.has(serial)) errors.push(rowError(row, 'serialNumber', 'duplicateInFile', 'this serial number appears on an earlier row'));
      seenSerials.add(serial);
    }

    const references = await this.resolveReferences(row, record, errors);
    const plain: Record<string, unknown> = {
      serialNumber: record.serialNumber,
      ...references,
      category: record.category,
      custodian: record.custodian,
      purchaseDate: record.purchaseDate,
      purchasePrice: numberCell(record.purchasePrice),
      currency: record.currency,
      batch: record.batch,
      firmwareVersion: record.firmwareVersion,
      appVersion: record.appVersion,
      warrantyStart: record.warrantyStart,
      warrantyEnd: record.warrantyEnd,
      warrantyTerms: record.warrantyTerms,
      warrantyProvider: record.warrantyProvider,
      notes: record.notes,
    };
    for (const key of Object.keys(plain)) if (plain[key] === undefined) delete plain[key];

    let plan: RowPlan | null = null;
    if (terminal) {
      const { regionId, ...fields } = plain;
      if (regionId !== undefined && regionId !== terminal.regionId) {
        errors.push(rowError(row, 'regionCode', 'immutable', 'the region of an existing terminal is part of its asset number and cannot change'));
      }
      let status: TerminalStatus | undefined;
      if (record.status && record.status !== terminal.status) {
        if (!isTerminalStatus(record.status)) {
          errors.push(rowError(row, 'status', 'isIn', `status must be one of: ${TERMINAL_STATUSES.join(', ')}`));
        } else {
          try {
            this.terminals.assertTransition(terminal.status, record.status, 'status');
            status = record.status;
          } catch (error) {
            errors.push(...this.toRowErrors(row, error));
          }
        }
      }
      const request = plainToInstance(UpdateTerminalDto, fields);
      errors.push(...(await this.check(row, request)));
      if (errors.length === 0) {
        try {
          await this.terminals.prepareUpdate(terminal, request);
          plan = { kind: 'update', row, terminal, request, status };
        } catch (error) {
          errors.push(...this.toRowErrors(row, error));
        }
      }
    } else {
      const request = plainToInstance(CreateTerminalDto, { ...plain, status: record.status });
      if (!record.serialNumber) errors.push(rowError(row, 'serialNumber', 'required', 'serialNumber is required for a new terminal'));
      for (const [field, column] of [['modelId', 'model'], ['supplierId', 'supplier'], ['regionId', 'regionCode']] as const) {
        if (!record[column]) errors.push(rowError(row, field, 'required', `${column} is required for a new terminal`));
      }
      if (errors.length === 0) {
        errors.push(...(await this.check(row, request)));
        if (errors.length === 0) {
          try {
            await this.terminals.prepareNew(request);
            plan = { kind: 'create', row, request };
          } catch (error) {
            errors.push(...this.toRowErrors(row, error));
          }
        }
      }
    }
    return errors.length === 0 && plan ? { plan, errors: [] } : { plan: null, errors };
  }

  private async resolveReferences(row: number, record: CsvRecord, errors: ImportRowError[]): Promise<Record<string, number | undefined>> {
    const references: Record<string, number | undefined> = {};
    if (record.model) {
      references.modelId = (await this.catalog.findModelByName(record.model))?.id;
      if (!references.modelId) errors.push(rowError(row, 'model', 'notFound', `no model named ${JSON.stringify(record.model)}`));
    }
    if (record.supplier) {
      references.supplierId = (await this.catalog.findSupplierByName(record.supplier))?.id;
      if (!references.supplierId) errors.push(rowError(row, 'supplier', 'notFound', `no supplier named ${JSON.stringify(record.supplier)}`));
    }
    if (record.regionCode) {
      references.regionId = (await this.regions.findRegionByCode(record.regionCode.toUpperCase()))?.id;
      if (!references.regionId) errors.push(rowError(row, 'regionCode', 'notFound', `no region with code ${JSON.stringify(record.regionCode)}`));
    }
    if (record.merchant) {
      const candidates = await this.regions.findMerchantsByName(record.merchant);
      const merchant = candidates.find((m) => m.regionId === references.regionId) ?? (candidates.length === 1 ? candidates[0] : undefined);
      references.merchantId = merchant?.id;
      if (!merchant) {
        errors.push(rowError(row, 'merchant', candidates.length > 1 ? 'ambiguous' : 'notFound', candidates.length > 1 ? 'several merchants have this name; none in the row’s region' : `no merchant named ${JSON.stringify(record.merchant)}`));
      }
    }
    if (record.insurancePolicy) {
      references.insurancePolicyId = (await this.policies.findByNumber(record.insurancePolicy))?.id;
      if (!references.insurancePolicyId) errors.push(rowError(row, 'insurancePolicy', 'notFound', `no policy numbered ${JSON.stringify(record.insurancePolicy)}`));
    }
    return references;
  }

  private async check(row: number, request: object): Promise<ImportRowError[]> {
    const failures = await validate(request, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
    return flattenValidationErrors(failures).map((f) => rowError(row, f.field, f.code, f.message));
  }

  private toRowErrors(row: number, error: unknown): ImportRowError[] {
    if (error instanceof DomainException) {
      const fields = error.details?.fields ?? [];
      return fields.length ? fields.map((f) => rowError(row, f.field, f.code, f.message)) : [rowError(row, 'row', error.code, error.message)];
    }
    throw error;
  }
}
