import { Column, Entity } from 'typeorm';
import type { AlertRuleKind, AlertSeverity } from '@fleet/shared';
import { JsonColumn, VersionedEntity } from '../database/columns';

/** Where alerts are POSTed, signed with the endpoint's secret, and which alerts go there. */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 120, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /**
   * Kept as it is, not hashed: signing needs the secret itself. Whoever can
   * read this table can forge requests to the endpoint's receiver, so the
   * database is as sensitive as the receivers it feeds; the API never shows a
   * secret after issuing it, and the audit log never records one.
   */
  @Column({ type: 'varchar', length: 64 })
  secret: string;

  @Column()
  secretIssuedAt: Date;

  @JsonColumn()
  kinds: AlertRuleKind[];

  @JsonColumn()
  regionIds: number[];

  @Column({ type: 'varchar', length: 16 })
  minSeverity: AlertSeverity;
}
