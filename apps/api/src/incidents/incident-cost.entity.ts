import { Column, Entity } from 'typeorm';
import type { ClaimStatus, CostKind, CostPayer } from '@fleet/shared';
import { MoneyColumn, VersionedEntity } from '../database/columns';

/** A cost line of a ticket, who pays it, and the claim against the supplier or insurer. */
@Entity('incident_costs')
export class IncidentCostEntity extends VersionedEntity {
  @Column({ type: 'integer' })
  incidentId: number;

  @Column({ type: 'varchar', length: 16 })
  kind: CostKind;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description: string | null;

  @MoneyColumn()
  amount: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 10 })
  payer: CostPayer;

  @Column({ type: 'varchar', length: 64, nullable: true })
  claimReference: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  claimStatus: ClaimStatus | null;

  @MoneyColumn()
  claimedAmount: number | null;

  @MoneyColumn()
  approvedAmount: number | null;

  @MoneyColumn()
  paidAmount: number | null;
}
