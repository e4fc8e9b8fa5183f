/** Models and suppliers: the axes procurement compares on. */
import { Injectable } from '@nestjs/common';
import type { ModelResponse, SupplierResponse } from '@fleet/shared';
import { AuditedWriter, type AuditedRecordSpec } from '../audit/audited-writer';
import type { Actor } from '../common/authorization';
import { DomainException } from '../common/domain.exception';
import { duplicateField, missingReference, timestamps } from '../common/mapping';
import type { CreateModelDto, CreateSupplierDto, UpdateModelDto, UpdateSupplierDto } from './catalog.dto';
import { CatalogRepository } from './catalog.repository';
import { ModelEntity } from './model.entity';
import { SupplierEntity } from './supplier.entity';

export const MODEL_RECORD: AuditedRecordSpec<ModelEntity> = {
  entity: ModelEntity,
  type: 'model',
  fields: ['name', 'manufacturer', 'category', 'spec', 'listPrice', 'currency', 'defaultWarrantyMonths', 'endOfLifeDate'],
  label: (model) => model.name,
};

export const SUPPLIER_RECORD: AuditedRecordSpec<SupplierEntity> = {
  entity: SupplierEntity,
  type: 'supplier',
  fields: ['name', 'contactName', 'contactPhone', 'contactEmail', 'supportResponseHours', 'supportSla'],
  label: (supplier) => supplier.name,
};

export function toModelResponse(model: ModelEntity, terminalCount: number): ModelResponse {
  return {
    id: model.id,
    name: model.name,
    manufacturer: model.manufacturer,
    category: model.category,
    spec: model.spec,
    listPrice: model.listPrice,
    currency: model.currency,
    defaultWarrantyMonths: model.defaultWarrantyMonths,
    endOfLifeDate: model.endOfLifeDate,
    terminalCount,
    ...timestamps(model),
  };
}

export function toSupplierResponse(supplier: SupplierEntity, terminalCount: number): SupplierResponse {
  return {
    id: supplier.id,
    name: supplier.name,
    contactName: supplier.contactName,
    contactPhone: supplier.contactPhone,
    contactEmail: supplier.contactEmail,
    supportResponseHours: supplier.supportResponseHours,
    supportSla: supplier.supportSla,
    terminalCount,
    ...timestamps(supplier),
  };
}

@Injectable()
export class CatalogService {
  constructor(
    private readonly repository: CatalogRepository,
    private readonly writer: AuditedWriter,
  ) {}

  /** Model and supplier names by id, without counting terminals. */
  async names(): Promise<{ models: Map<number, string>; suppliers: Map<number, string> }> {
    const [models, suppliers] = await Promise.all([this.repository.listModels(), this.repository.listSuppliers()]);
    return { models: new Map(models.map((m) => [m.id, m.name])), suppliers: new Map(suppliers.map((s) => [s.id, s.name])) };
  }

  async listModels(): Promise<ModelResponse[]> {
    const [models, counts] = await Promise.all([this.repository.listModels(), this.repository.countTerminalsByModel()]);
    return models.map((model) => toModelResponse(model, counts.get(model.id) ?? 0));
  }

  async getModel(id: number): Promise<ModelEntity> {
    const model = await this.repository.findModel(id);
    if (!model) throw missingReference('MODEL_NOT_FOUND', 'modelId', id);
    return model;
  }

  findModelByName(name: string): Promise<ModelEntity | null> {
    return this.repository.findModelByName(name);
  }

  async describeModel(id: number): Promise<ModelResponse> {
    const [model, counts] = await Promise.all([this.getModel(id), this.repository.countTerminalsByModel()]);
    return toModelResponse(model, counts.get(id) ?? 0);
  }

  async createModel(actor: Actor, request: CreateModelDto): Promise<ModelResponse> {
    await this.assertModelNameFree(request.name);
    const model = await this.writer.create(actor, MODEL_RECORD, {
      name: request.name,
      manufacturer: request.manufacturer,
      category: request.category,
      spec: request.spec ?? null,
      listPrice: request.listPrice ?? null,
      currency: request.currency ?? 'CNY',
      defaultWarrantyMonths: request.defaultWarrantyMonths ?? 12,
      endOfLifeDate: request.endOfLifeDate ?? null,
    });
    return toModelResponse(model, 0);
  }

  async updateModel(actor: Actor, id: number, request: UpdateModelDto, version: number): Promise<ModelResponse> {
    const before = await this.getModel(id);
    if (request.name !== undefined && request.name !== before.name) await this.assertModelNameFree(request.name);
    const { version: _version, ...changes } = request;
    await this.writer.update(actor, MODEL_RECORD, before, version, changes);
    return this.describeModel(id);
  }

  async deleteModel(actor: Actor, id: number): Promise<void> {
    const model = await this.getModel(id);
    const inUse = (await this.repository.countTerminalsByModel()).get(id) ?? 0;
    if (inUse > 0) throw new DomainException('RECORD_IN_USE', `The model ${model.name} has ${inUse} terminals`, { terminalCount: inUse });
    await this.writer.remove(actor, MODEL_RECORD, model);
  }

  async listSuppliers(): Promise<SupplierResponse[]> {
    const [suppliers, counts] = await Promise.all([this.repository.listSuppliers(), this.repository.countTerminalsBySupplier()]);
    return suppliers.map((supplier) => toSupplierResponse(supplier, counts.get(supplier.id) ?? 0));
  }

  async getSupplier(id: number): Promise<SupplierEntity> {
    const supplier = await this.repository.findSupplier(id);
    if (!supplier) throw missingReference('SUPPLIER_NOT_FOUND', 'supplierId', id);
    return supplier;
  }

  findSupplierByName(name: string): Promise<SupplierEntity | null> {
    return this.repository.findSupplierByName(name);
  }

  async describeSupplier(id: number): Promise<SupplierResponse> {
    const [supplier, counts] = await Promise.all([this.getSupplier(id), this.repository.countTerminalsBySupplier()]);
    return toSupplierResponse(supplier, counts.get(id) ?? 0);
  }

  async createSupplier(actor: Actor, request: CreateSupplierDto): Promise<SupplierResponse> {
    await this.assertSupplierNameFree(request.name);
    const supplier = await this.writer.create(actor, SUPPLIER_RECORD, {
      name: request.name,
      contactName: request.contactName ?? null,
      contactPhone: request.contactPhone ?? null,
      contactEmail: request.contactEmail ?? null,
      supportResponseHours: request.supportResponseHours ?? null,
      supportSla: request.supportSla ?? null,
    });
    return toSupplierResponse(supplier, 0);
  }

  async updateSupplier(actor: Actor, id: number, request: UpdateSupplierDto, version: number): Promise<SupplierResponse> {
    const before = await this.getSupplier(id);
    if (request.name !== undefined && request.name !== before.name) await this.assertSupplierNameFree(request.name);
    const { version: _version, ...changes } = request;
    await this.writer.update(actor, SUPPLIER_RECORD, before, version, changes);
    return this.describeSupplier(id);
  }

  async deleteSupplier(actor: Actor, id: number): Promise<void> {
    const supplier = await this.getSupplier(id);
    const inUse = (await this.repository.countTerminalsBySupplier()).get(id) ?? 0;
    if (inUse > 0) throw new DomainException('RECORD_IN_USE', `The supplier ${supplier.name} has ${inUse} terminals`, { terminalCount: inUse });
    await this.writer.remove(actor, SUPPLIER_RECORD, supplier);
  }

  private async assertModelNameFree(name: string): Promise<void> {
    if (await this.repository.findModelByName(name)) {
      throw duplicateField('DUPLICATE_NAME', 'name', name);
    }
  }

  private async assertSupplierNameFree(name: string): Promise<void> {
    if (await this.repository.findSupplierByName(name)) {
      throw duplicateField('DUPLICATE_NAME', 'name', name);
    }
  }
}
