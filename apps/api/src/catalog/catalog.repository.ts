import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { countTerminalsBy } from '../database/terminal-counts';
import { ModelEntity } from './model.entity';
import { SupplierEntity } from './supplier.entity';

@Injectable()
export class CatalogRepository {
  constructor(
    @InjectRepository(ModelEntity) private readonly models: Repository<ModelEntity>,
    @InjectRepository(SupplierEntity) private readonly suppliers: Repository<SupplierEntity>,
  ) {}

  listModels(): Promise<ModelEntity[]> {
    return this.models.find({ order: { name: 'ASC' } });
  }

  findModel(id: number): Promise<ModelEntity | null> {
    return this.models.findOneBy({ id });
  }

  findModelByName(name: string): Promise<ModelEntity | null> {
    return this.models.findOneBy({ name });
  }

  countTerminalsByModel(): Promise<Map<number, number>> {
    return countTerminalsBy(this.models.manager, 'model_id');
  }

  listSuppliers(): Promise<SupplierEntity[]> {
    return this.suppliers.find({ order: { name: 'ASC' } });
  }

  findSupplier(id: number): Promise<SupplierEntity | null> {
    return this.suppliers.findOneBy({ id });
  }

  findSupplierByName(name: string): Promise<SupplierEntity | null> {
    return this.suppliers.findOneBy({ name });
  }

  countTerminalsBySupplier(): Promise<Map<number, number>> {
    return countTerminalsBy(this.suppliers.manager, 'supplier_id');
  }
}
