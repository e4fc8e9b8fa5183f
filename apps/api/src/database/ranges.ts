/**
 * Prefix ranges that an index serves: an identifier prefix search, and a
 * region with its sub-regions (regions keep a materialised path, /1/7/).
 */
import type { WhereExpressionBuilder } from 'typeorm';

/** The smallest string greater than every string starting with `prefix`. */
export function prefixUpperBound(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** The condition that `column` holds a region of the sub-tree at `path`; `name` keeps the parameters apart when used twice in a query. */
export function regionSubtree(column: string, name: string, path: string): [string, Record<string, string>] {
  return [`${column} IN (SELECT r.id FROM regions r WHERE r.path >= :${name}Lo AND r.path < :${name}Hi)`, { [`${name}Lo`]: path, [`${name}Hi`]: prefixUpperBound(path) }];
}

export function inRegionSubtree<Q extends WhereExpressionBuilder>(qb: Q, column: string, name: string, path: string): Q {
  return qb.andWhere(...regionSubtree(column, name, path));
}
