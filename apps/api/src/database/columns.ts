/** Column helpers shared by the entities. */
import { Column, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';

/** numeric comes back as a string from PostgreSQL and a number from SQLite; the API always sees a number. */
export const decimalTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

export const MoneyColumn = () => Column({ type: 'numeric', precision: 14, scale: 2, nullable: true, transformer: decimalTransformer });

/** Calendar dates are kept as YYYY-MM-DD text: they compare correctly as strings on both engines. */
export const DateColumn = (options: { nullable?: boolean } = {}) =>
  Column({ type: 'varchar', length: 10, nullable: options.nullable ?? true });

/** JSON kept in a text column: the same on SQLite and PostgreSQL. */
export const JsonColumn = () =>
  Column({
    type: 'text',
    nullable: true,
    transformer: {
      to: (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value)),
      from: (value: string | null) => (value === null || value === undefined ? null : (JSON.parse(value) as unknown)),
    },
  });

/** id, optimistic-concurrency version and timestamps set from the injected clock. */
export abstract class VersionedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column()
  createdAt: Date;

  @Column()
  updatedAt: Date;
}
