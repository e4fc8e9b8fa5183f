import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last asset-number sequence handed out in a region; only ever grows, so numbers are never reused. */
@Entity('asset_sequences')
export class AssetSequenceEntity {
  @PrimaryColumn({ type: 'integer' })
  regionId: number;

  @Column({ type: 'integer', default: 0 })
  lastValue: number;
}
