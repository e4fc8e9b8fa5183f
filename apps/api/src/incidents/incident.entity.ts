import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type {
  CheckOutcome,
  DamageCircumstance,
  DiagnosisMode,
  FaultCause,
  FaultType,
  FirstResponseCheck,
  IncidentAlarm,
  IncidentPriority,
  IncidentResolution,
  IncidentSource,
  IncidentStage,
  IncidentSymptom,
  RepairDecision,
  Responsibility,
  SpareOutcome,
  TestCheck,
  TestOutcome,
} from '@fleet/shared';
import { ModelEntity } from '../catalog/model.entity';
import { DateColumn, JsonColumn, MoneyColumn, VersionedEntity } from '../database/columns';
import { MerchantEntity } from '../regions/merchant.entity';
import { RegionEntity } from '../regions/region.entity';
import { TerminalEntity } from '../terminals/terminal.entity';
import { UserEntity } from '../users/user.entity';

export interface FirstResponseRecord {
  checks: Partial<Record<FirstResponseCheck, CheckOutcome>>;
  fixed: boolean;
  at: string;
  by: string;
  note: string | null;
}

export interface DataStepRecord {
  at: string;
  by: string;
  location: string | null;
  note: string | null;
}

export interface TestRecord {
  checks: Partial<Record<TestCheck, TestOutcome>>;
  passed: boolean;
  at: string;
  by: string;
}

/** A fault ticket (故障工单). Terminal, region, model and supplier are copied at report time: the figures stay true after a unit moves. */
@Entity('incidents')
export class IncidentEntity extends VersionedEntity {
  @Column({ type: 'integer' })
  terminalId: number;

  @ManyToOne(() => TerminalEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'terminal_id' })
  terminal?: TerminalEntity;

  /** terminalId while open, null once closed (unique: one open ticket per terminal). */
  @Column({ type: 'integer', nullable: true })
  openTerminalId: number | null;

  @Column({ type: 'integer' })
  regionId: number;

  @ManyToOne(() => RegionEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'region_id' })
  region?: RegionEntity;

  @Column({ type: 'integer' })
  modelId: number;

  @ManyToOne(() => ModelEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column({ type: 'integer' })
  supplierId: number;

  @Column({ type: 'integer', nullable: true })
  merchantId: number | null;

  @ManyToOne(() => MerchantEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'merchant_id' })
  merchant?: MerchantEntity | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  firmwareVersion: string | null;

  @Column({ type: 'varchar', length: 20 })
  stage: IncidentStage;

  @Column({ type: 'varchar', length: 10 })
  priority: IncidentPriority;

  @Column({ type: 'varchar', length: 10 })
  source: IncidentSource;

  @Column({ type: 'varchar', length: 20, nullable: true })
  alarm: IncidentAlarm | null;

  @Column({ type: 'integer', nullable: true })
  reporterId: number | null;

  @Column({ type: 'varchar', length: 64 })
  reporterName: string;

  @Column({ type: 'integer', nullable: true })
  assigneeId: number | null;

  @ManyToOne(() => UserEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'assignee_id' })
  assignee?: UserEntity | null;

  @Column({ type: 'varchar', length: 24 })
  symptom: IncidentSymptom;

  @JsonColumn()
  errorCodes: string[] | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  primaryErrorCode: string | null;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  place: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  circumstances: DamageCircumstance | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  circumstancesNote: string | null;

  @Column()
  occurredAt: Date;

  @Column()
  reportedAt: Date;

  @JsonColumn()
  firstResponse: FirstResponseRecord | null;

  @Column({ type: Date, nullable: true })
  respondedAt: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  faultType: FaultType | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  cause: FaultCause | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  diagnosisMode: DiagnosisMode | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  responsibility: Responsibility | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  responsiblePerson: string | null;

  @Column({ type: 'text', nullable: true })
  diagnosisNote: string | null;

  @Column({ type: Date, nullable: true })
  diagnosedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  diagnosedBy: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  decision: RepairDecision | null;

  @MoneyColumn()
  repairQuote: number | null;

  @MoneyColumn()
  replacementPrice: number | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  repairVendor: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  carrier: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  trackingNumber: string | null;

  @Column({ type: Date, nullable: true })
  shippedAt: Date | null;

  @Column({ type: Date, nullable: true })
  returnedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  newSerialNumber: string | null;

  @Column({ type: 'integer', nullable: true })
  replacementTerminalId: number | null;

  @ManyToOne(() => TerminalEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'replacement_terminal_id' })
  replacementTerminal?: TerminalEntity | null;

  @Column({ type: 'integer', nullable: true })
  spareTerminalId: number | null;

  @ManyToOne(() => TerminalEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'spare_terminal_id' })
  spareTerminal?: TerminalEntity | null;

  @Column({ type: Date, nullable: true })
  spareLentAt: Date | null;

  @DateColumn()
  spareDueBack: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  spareOutcome: SpareOutcome | null;

  @Column({ type: Date, nullable: true })
  spareSettledAt: Date | null;

  @JsonColumn()
  backup: DataStepRecord | null;

  @JsonColumn()
  dataRestore: DataStepRecord | null;

  @JsonColumn()
  testResult: TestRecord | null;

  @Column({ type: 'integer', default: 0 })
  testAttempts: number;

  /** Service restored: a spare lent, or the unit back and tested. */
  @Column({ type: Date, nullable: true })
  restoredAt: Date | null;

  @Column({ type: Date, nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  resolution: IncidentResolution | null;

  @Column({ type: 'text', nullable: true })
  resolutionNote: string | null;

  @Column({ type: Date, nullable: true })
  closedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  reopenCount: number;

  @Column({ type: 'integer', nullable: true })
  rating: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  ratingComment: string | null;
}
