/**
 * The live health of every terminal, in memory: one typed-array column per
 * field indexed by terminal id (about 80 bytes a terminal, no object per
 * terminal), a timing wheel of offline deadlines so a sweep costs only the
 * terminals that expire, and counters by state kept up to date on every
 * change so the fleet's counts never need a scan.
 *
 * It only holds state; the ingest service decides changes, makes them durable
 * and then applies them here (see HeartbeatIngestService).
 */
import { DEGRADED_REASONS, HEALTH_STATES, type FleetHealthGroupBy, type HealthCounts, type HealthState } from '@fleet/shared';

export const STATE_CODE: Readonly<Record<HealthState, number>> = { unknown: 0, online: 1, degraded: 2, offline: 3 };

export interface TerminalAttributes {
  id: number;
  regionId: number;
  modelId: number;
  supplierId: number;
  /** Deployed: only these count and raise alarms. */
  monitored: boolean;
}

/** One terminal's health, as a plain object while a change is being prepared. */
export interface HealthSnapshot {
  id: number;
  state: HealthState;
  reasons: number;
  sinceMs: number;
  /** Server time of the newest heartbeat; 0 = never seen. */
  lastSeenMs: number;
  /** -1 = none yet. */
  lastSequence: number;
  errorStreak: number;
  transactionCount: number;
  printCount: number;
}

const EXISTS = 1;
const MONITORED = 2;
const LINKED = 4;
const NIL = -1;

/** Deadlines are kept to the second; the wheel covers the longest timeout allowed and then some. */
export const WHEEL_SECONDS = 86_400 + 3_600;

export class FleetState {
  private capacity = 0;
  private flags = new Uint8Array(0);
  private stateCode = new Uint8Array(0);
  private reasonMask = new Uint8Array(0);
  private streak = new Uint8Array(0);
  private region = new Int32Array(0);
  private model = new Int32Array(0);
  private supplier = new Int32Array(0);
  private lastSeen = new Float64Array(0);
  private lastSequence = new Float64Array(0);
  private since = new Float64Array(0);
  private transactions = new Float64Array(0);
  private prints = new Float64Array(0);
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  private deadline = new Uint32Array(0);
  /** The second whose slot holds the terminal: its deadline, or the next sweep when linked late. */
  private due = new Uint32Array(0);

  private readonly heads = new Int32Array(WHEEL_SECONDS).fill(NIL);
  private cursor: number;
  private linkedCount = 0;
  private terminalCount = 0;

  private readonly total = new Int32Array(HEALTH_STATES.length);
  private readonly reasonTotals = new Int32Array(DEGRADED_REASONS.length);
  private readonly groups: Record<FleetHealthGroupBy, Map<number, Int32Array>> = { region: new Map(), model: new Map(), supplier: new Map() };

  /**
   * @param timeoutSeconds the offline timeout of a terminal (its policy), read when a deadline is set
   * @param startMs the sweep starts from this instant
   */
  constructor(
    private readonly timeoutSeconds: (id: number, modelId: number) => number,
    startMs: number,
  ) {
    this.cursor = Math.floor(startMs / 1000);
  }

  get size(): number {
    return this.terminalCount;
  }

  /** Terminals waiting for their offline deadline. */
  get pending(): number {
    return this.linkedCount;
  }

  has(id: number): boolean {
    return id >= 0 && id < this.capacity && (this.flags[id]! & EXISTS) !== 0;
  }

  attributes(id: number): TerminalAttributes | null {
    if (!this.has(id)) return null;
    return { id, regionId: this.region[id]!, modelId: this.model[id]!, supplierId: this.supplier[id]!, monitored: (this.flags[id]! & MONITORED) !== 0 };
  }

  /** Adds a terminal (unknown health) or changes where it counts; health is kept. */
  upsertTerminal(attributes: TerminalAttributes): void {
    const { id } = attributes;
    this.ensureCapacity(id + 1);
    const existed = this.has(id);
    if (existed) {
      this.count(id, -1);
    } else {
      this.flags[id] = EXISTS;
      this.stateCode[id] = STATE_CODE.unknown;
      this.reasonMask[id] = 0;
      this.streak[id] = 0;
      this.lastSeen[id] = 0;
      this.lastSequence[id] = -1;
      this.since[id] = 0;
      this.transactions[id] = -1;
      this.prints[id] = -1;
      this.terminalCount++;
    }
    const modelChanged = existed && this.model[id] !== attributes.modelId;
    this.region[id] = attributes.regionId;
    this.model[id] = attributes.modelId;
    this.supplier[id] = attributes.supplierId;
    this.flags[id] = (this.flags[id]! & ~MONITORED) | (attributes.monitored ? MONITORED : 0);
    this.count(id, +1);
    if (modelChanged) this.reschedule(id);
  }

  removeTerminal(id: number): void {
    if (!this.has(id)) return;
    this.count(id, -1);
    this.unlink(id);
    this.flags[id] = 0;
    this.terminalCount--;
  }

  snapshot(id: number): HealthSnapshot {
    if (!this.has(id)) throw new RangeError(`terminal ${id} is not in the fleet state`);
    return {
      id,
      state: HEALTH_STATES[this.stateCode[id]!]!,
      reasons: this.reasonMask[id]!,
      sinceMs: this.since[id]!,
      lastSeenMs: this.lastSeen[id]!,
      lastSequence: this.lastSequence[id]!,
      errorStreak: this.streak[id]!,
      transactionCount: this.transactions[id]!,
      printCount: this.prints[id]!,
    };
  }

  /**
   * Makes a prepared (and already durable) snapshot the terminal's state:
   * counters move, and its offline deadline is set from its last heartbeat
   * (online, degraded) or cleared (offline, unknown).
   * `notBeforeMs` pushes the deadline out, for the grace after a restart.
   */
  apply(snapshot: HealthSnapshot, notBeforeMs = 0): void {
    const { id } = snapshot;
    if (!this.has(id)) return;
    this.count(id, -1);
    this.stateCode[id] = STATE_CODE[snapshot.state];
    this.reasonMask[id] = snapshot.reasons;
    this.since[id] = snapshot.sinceMs;
    this.lastSeen[id] = snapshot.lastSeenMs;
    this.lastSequence[id] = snapshot.lastSequence;
    this.streak[id] = Math.min(255, snapshot.errorStreak);
    this.transactions[id] = snapshot.transactionCount;
    this.prints[id] = snapshot.printCount;
    this.count(id, +1);
    this.reschedule(id, notBeforeMs);
  }

  /**
   * Takes a change decided by another instance (the one that ingests): the
   * state, reasons and since move, counters follow, and no deadline is kept
   * here (the ingest instance sweeps).
   */
  mirror(id: number, state: HealthState, reasons: number, sinceMs: number): void {
    if (!this.has(id)) return;
    this.count(id, -1);
    this.stateCode[id] = STATE_CODE[state];
    this.reasonMask[id] = reasons;
    this.since[id] = sinceMs;
    if (state === 'online' || state === 'degraded') this.lastSeen[id] = Math.max(this.lastSeen[id]!, sinceMs);
    this.count(id, +1);
    this.unlink(id);
  }

  /** When the terminal goes offline without another heartbeat, in ms; null when not waiting. */
  offlineAt(id: number): number | null {
    return this.has(id) && (this.flags[id]! & LINKED) !== 0 ? this.deadline[id]! * 1000 : null;
  }

  /**
   * Takes every terminal whose deadline has passed off the wheel and returns
   * them with their deadline (ms). Cost: the seconds since the last sweep
   * plus the terminals returned. The caller marks them offline, or calls
   * `reschedule` to put them back when the change could not be stored.
   * At most `limit` are returned; the rest wait for the next call (a storm
   * is swept in chunks, so nothing else waits for all of it).
   */
  collectExpired(nowMs: number, limit = Number.POSITIVE_INFINITY): { id: number; deadlineMs: number }[] {
    const now = Math.floor(nowMs / 1000);
    const expired: { id: number; deadlineMs: number }[] = [];
    const steps = Math.min(now - this.cursor, WHEEL_SECONDS);
    for (let step = 1; step <= steps; step++) {
      const slot = (this.cursor + step) % WHEEL_SECONDS;
      let id = this.heads[slot]!;
      while (id !== NIL) {
        if (expired.length >= limit) {
          // Resume at this second next time: it is not swept to the end.
          this.cursor += step - 1;
          return expired;
        }
        const following = this.next[id]!;
        if (this.deadline[id]! <= now) {
          this.unlink(id);
          expired.push({ id, deadlineMs: this.deadline[id]! * 1000 });
        }
        id = following;
      }
    }
    if (now > this.cursor) this.cursor = now;
    return expired;
  }

  /** Sets the deadline again from the last heartbeat and the current policy (a policy changed, a write failed). */
  reschedule(id: number, notBeforeMs = 0): void {
    this.unlink(id);
    const code = this.stateCode[id]!;
    if (code !== STATE_CODE.online && code !== STATE_CODE.degraded) return;
    const timeoutMs = this.timeoutSeconds(id, this.model[id]!) * 1000;
    this.link(id, Math.ceil((Math.max(this.lastSeen[id]!, notBeforeMs) + timeoutMs) / 1000));
  }

  /**
   * Gives every reporting terminal at least a full timeout from `notBeforeMs`
   * (after a restart, from when heartbeats are taken again).
   */
  graceAll(notBeforeMs: number): void {
    for (let id = 0; id < this.capacity; id++) if ((this.flags[id]! & EXISTS) !== 0) this.reschedule(id, notBeforeMs);
  }

  /** Every terminal of a model (after its policy changed). */
  idsOfModel(modelId: number): number[] {
    const ids: number[] = [];
    for (let id = 0; id < this.capacity; id++) if ((this.flags[id]! & EXISTS) !== 0 && this.model[id] === modelId) ids.push(id);
    return ids;
  }

  counts(): HealthCounts {
    return toCounts(this.total);
  }

  /** The region of a terminal and since when it is in its state (ms), for alerts. */
  standing(id: number): { regionId: number; sinceMs: number } | null {
    return this.has(id) ? { regionId: this.region[id]!, sinceMs: this.since[id]! } : null;
  }

  /**
   * Monitored terminals in `state` since before `beforeMs` (with every bit of
   * `reasonMask` set, when given), oldest first, at most `limit`: what alarms
   * open tickets from. One pass over two columns.
   */
  longStanding(state: HealthState, beforeMs: number, reasonMask = 0, limit = Number.POSITIVE_INFINITY): number[] {
    const code = STATE_CODE[state];
    const found: number[] = [];
    for (let id = 0; id < this.capacity; id++) {
      if ((this.flags[id]! & (EXISTS | MONITORED)) !== (EXISTS | MONITORED) || this.stateCode[id] !== code || this.since[id]! >= beforeMs) continue;
      if ((this.reasonMask[id]! & reasonMask) !== reasonMask) continue;
      found.push(id);
    }
    found.sort((a, b) => this.since[a]! - this.since[b]! || a - b);
    return found.length > limit ? found.slice(0, limit) : found;
  }

  reasonCounts(): Record<(typeof DEGRADED_REASONS)[number], number> {
    return Object.fromEntries(DEGRADED_REASONS.map((reason, bit) => [reason, this.reasonTotals[bit]!])) as Record<(typeof DEGRADED_REASONS)[number], number>;
  }

  countsBy(groupBy: FleetHealthGroupBy): Map<number, HealthCounts> {
    const result = new Map<number, HealthCounts>();
    for (const [key, counts] of this.groups[groupBy]) result.set(key, toCounts(counts));
    return result;
  }

  /**
   * Counts of the monitored terminals in some regions (a user's scope), by
   * health, reason, model and supplier: one pass over the columns (a few ms
   * at a million terminals), for reads that the fleet-wide counters cannot answer.
   */
  countsWithin(regions: ReadonlySet<number>): { counts: HealthCounts; reasons: Record<(typeof DEGRADED_REASONS)[number], number>; model: Map<number, HealthCounts>; supplier: Map<number, HealthCounts> } {
    const total = new Int32Array(HEALTH_STATES.length);
    const reasons = new Int32Array(DEGRADED_REASONS.length);
    const groups = { model: new Map<number, Int32Array>(), supplier: new Map<number, Int32Array>() };
    for (let id = 0; id < this.capacity; id++) {
      if ((this.flags[id]! & (EXISTS | MONITORED)) !== (EXISTS | MONITORED) || !regions.has(this.region[id]!)) continue;
      const code = this.stateCode[id]!;
      total[code]!++;
      this.bump(groups.model, this.model[id]!, code, 1);
      this.bump(groups.supplier, this.supplier[id]!, code, 1);
      const mask = this.reasonMask[id]!;
      if (code === STATE_CODE.degraded) for (let bit = 0; bit < DEGRADED_REASONS.length; bit++) if (mask & (1 << bit)) reasons[bit]!++;
    }
    const asCounts = (map: Map<number, Int32Array>) => new Map([...map].map(([key, counts]) => [key, toCounts(counts)]));
    return {
      counts: toCounts(total),
      reasons: Object.fromEntries(DEGRADED_REASONS.map((reason, bit) => [reason, reasons[bit]!])) as Record<(typeof DEGRADED_REASONS)[number], number>,
      model: asCounts(groups.model),
      supplier: asCounts(groups.supplier),
    };
  }

  /** Bytes held by the columns and the wheel (what grows with the fleet). */
  memoryBytes(): number {
    const columns = [this.flags, this.stateCode, this.reasonMask, this.streak, this.region, this.model, this.supplier, this.lastSeen, this.lastSequence, this.since, this.transactions, this.prints, this.next, this.prev, this.deadline, this.due];
    return columns.reduce((sum, column) => sum + column.byteLength, 0) + this.heads.byteLength;
  }

  private count(id: number, sign: 1 | -1): void {
    if ((this.flags[id]! & MONITORED) === 0) return;
    const code = this.stateCode[id]!;
    this.total[code]! += sign;
    this.bump(this.groups.region, this.region[id]!, code, sign);
    this.bump(this.groups.model, this.model[id]!, code, sign);
    this.bump(this.groups.supplier, this.supplier[id]!, code, sign);
    const mask = this.reasonMask[id]!;
    if (code === STATE_CODE.degraded && mask !== 0) {
      for (let bit = 0; bit < DEGRADED_REASONS.length; bit++) if (mask & (1 << bit)) this.reasonTotals[bit]! += sign;
    }
  }

  private bump(groups: Map<number, Int32Array>, key: number, code: number, sign: number): void {
    let counts = groups.get(key);
    if (!counts) groups.set(key, (counts = new Int32Array(HEALTH_STATES.length)));
    counts[code]! += sign;
  }

  private link(id: number, deadlineSeconds: number): void {
    // A deadline already swept past goes into the next slot swept.
    const due = Math.max(deadlineSeconds, this.cursor + 1);
    const slot = due % WHEEL_SECONDS;
    this.deadline[id] = deadlineSeconds;
    this.due[id] = due;
    const head = this.heads[slot]!;
    this.next[id] = head;
    this.prev[id] = NIL;
    if (head !== NIL) this.prev[head] = id;
    this.heads[slot] = id;
    this.flags[id]! |= LINKED;
    this.linkedCount++;
  }

  private unlink(id: number): void {
    if ((this.flags[id]! & LINKED) === 0) return;
    const before = this.prev[id]!;
    const after = this.next[id]!;
    if (before !== NIL) this.next[before] = after;
    else this.heads[this.due[id]! % WHEEL_SECONDS] = after;
    if (after !== NIL) this.prev[after] = before;
    this.flags[id]! &= ~LINKED;
    this.linkedCount--;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.capacity) return;
    const capacity = Math.max(needed, this.capacity * 2, 1024);
    const grow = <T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(column: T, ctor: new (n: number) => T): T => {
      const bigger = new ctor(capacity);
      bigger.set(column);
      return bigger;
    };
    this.flags = grow(this.flags, Uint8Array);
    this.stateCode = grow(this.stateCode, Uint8Array);
    this.reasonMask = grow(this.reasonMask, Uint8Array);
    this.streak = grow(this.streak, Uint8Array);
    this.region = grow(this.region, Int32Array);
    this.model = grow(this.model, Int32Array);
    this.supplier = grow(this.supplier, Int32Array);
    this.lastSeen = grow(this.lastSeen, Float64Array);
    this.lastSequence = grow(this.lastSequence, Float64Array);
    this.since = grow(this.since, Float64Array);
    this.transactions = grow(this.transactions, Float64Array);
    this.prints = grow(this.prints, Float64Array);
    this.next = grow(this.next, Int32Array);
    this.prev = grow(this.prev, Int32Array);
    this.deadline = grow(this.deadline, Uint32Array);
    this.due = grow(this.due, Uint32Array);
    this.capacity = capacity;
  }
}

function toCounts(counts: Int32Array): HealthCounts {
  return { unknown: counts[0]!, online: counts[1]!, degraded: counts[2]!, offline: counts[3]! };
}
