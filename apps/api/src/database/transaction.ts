/**
 * Services group writes into one transaction without touching TypeORM: they
 * receive an opaque `Tx` and hand it to repositories, which alone use it.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type EntityTarget, type QueryDeepPartialEntity } from 'typeorm';


declare const txBrand: unique symbol;
export type Tx = EntityManager & { readonly [txBrand]: true };

/**
 * Runs work in a transaction. SQLite has one connection, which TypeORM shares
 * between all callers: two transactions open at once would nest into each
 * other. So on SQLite transactions run one after another (SQLite admits one
 * writer at a time anyway), and every write goes through here.
 */
@Injectable()
export class TransactionRunner {
  private readonly serial: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {
    this.serial = dataSource.options.type === 'better-sqlite3';
  }

  private readonly committed = new WeakMap<object, (() => void)[]>();

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const start = async () => {
      let hooks: (() => void)[] = [];
      const result = await this.dataSource.transaction((manager) => {
        hooks = [];
        this.committed.set(manager, hooks);
        return work(manager as Tx);
      });
      for (const hook of hooks) hook();
      return result;
    };
    if (!this.serial) return start();
    const result = this.tail.then(start);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs `hook` once the transaction `tx` has committed (never if it rolls
   * back): domain events leave only with the data they describe.
   */
  afterCommit(tx: Tx, hook: () => void): void {
    const hooks = this.committed.get(tx);
    if (!hooks) throw new Error('afterCommit outside a transaction of this runner');
    hooks.push(hook);
  }
}

/**
 * Optimistic concurrency: applies `changes` only if the row is still at
 * `version`, and bumps the version. False when someone else got there first.
 */
export async function updateIfVersion<T extends { id: number; version: number }>(
  tx: Tx,
  entity: EntityTarget<T>,
  id: number,
  version: number,
  changes: QueryDeepPartialEntity<T>,
): Promise<boolean> {
  const result = await tx
    .createQueryBuilder()
    .update(entity)
    .set({ ...changes, version: version + 1 } as QueryDeepPartialEntity<T>)
    .where('id = :id AND version = :version', { id, version })
    .execute();
  return result.affected === 1;
}
