import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { TerminalCategory, TerminalStatus } from '@fleet/shared';
import { ModelEntity } from '../catalog/model.entity';
import { SupplierEntity } from '../catalog/supplier.entity';
import { DateColumn, MoneyColumn, VersionedEntity } from '../database/columns';
import { MerchantEntity } from '../regions/merchant.entity';
import { RegionEntity } from '../regions/region.entity';
import { InsurancePolicyEntity } from '../warranties/insurance-policy.entity';

/** One physical POS terminal under the unified numbering scheme. */
@Entity('terminals')
export class TerminalEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 40, unique: true })
  assetNumber: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  serialNumber: string;

  @Column({ type: 'integer' })
  modelId: number;

  @ManyToOne(() => ModelEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column({ type: 'integer' })
  supplierId: number;

  @ManyToOne(() => SupplierEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: SupplierEntity;

  @Column({ type: 'varchar', length: 16 })
  category: TerminalCategory;

  @Column({ type: 'integer' })
  regionId: number;

  @ManyToOne(() => RegionEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'region_id' })
  region?: RegionEntity;

  @Column({ type: 'integer', nullable: true })
  merchantId: number | null;

  @ManyToOne(() => MerchantEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'merchant_id' })
  merchant?: MerchantEntity | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  custodian: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: TerminalStatus;

  @DateColumn()
  purchaseDate: string | null;

  @MoneyColumn()
  purchasePrice: number | null;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  batch: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  firmwareVersion: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  appVersion: string | null;

  @DateColumn()
  warrantyStart: string | null;

  @DateColumn()
  warrantyEnd: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  warrantyTerms: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  warrantyProvider: string | null;

  @Column({ type: 'integer', nullable: true })
  insurancePolicyId: number | null;

  @ManyToOne(() => InsurancePolicyEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'insurance_policy_id' })
  insurancePolicy?: InsurancePolicyEntity | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;
}
