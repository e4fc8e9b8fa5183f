/**
 * What the realtime gateway sends, without touching sockets: snapshots for a
 * room that is joined, and, every flush, the coalesced changes of each room
 * since the last one. A storm of 100,000 status changes becomes, per room,
 * one counts message with the regions that moved and one feed message with
 * the newest FEED_SIZE changes and how many more there were.
 *
 * With several instances (Redis), the ingest instance also hands the gateway
 * its raw changes to relay, and the others apply them to their mirrored
 * state, so their snapshots and REST reads stay current.
 */
import { Injectable } from '@nestjs/common';
import {
  ALERTS_LIST_SIZE,
  FEED_SIZE,
  type AlertsMessage,
  HEALTH_STATES,
  type FeedChange,
  type FeedMessage,
  type FleetCountsMessage,
  type HealthCounts,
  type RegionCounts,
  type TerminalHealthMessage,
} from '@fleet/shared';
import { AlertsService } from '../alerts/alerts.service';
import { AuthService } from '../auth/auth.service';
import type { Actor } from '../common/authorization';
import { withinScope } from '../common/request-scope';
import { Clock } from '../common/clock';
import { HealthPoliciesService } from '../heartbeats/health-policies.service';
import { HealthReadService } from '../heartbeats/health-read.service';
import type { HealthChange, HealthPolicyChangedEvent } from '../heartbeats/health.events';
import { LiveHealthService } from '../heartbeats/live-health.service';
import { subtreeTotals } from '../heartbeats/region-totals';
import { RegionsService } from '../regions/regions.service';
import { TerminalsService } from '../terminals/terminals.service';

export type Outgoing =
  | { room: string; event: 'fleet:counts'; message: FleetCountsMessage }
  | { room: string; event: 'feed:changes'; message: FeedMessage }
  | { room: string; event: 'terminal:health'; message: TerminalHealthMessage }
  | { room: string; event: 'alerts:changed'; message: AlertsMessage };

interface RegionNode {
  id: number;
  path: string;
}

const TREE_CACHE_MS = 30_000;
const key = (counts: HealthCounts) => HEALTH_STATES.map((state) => counts[state]).join(',');

@Injectable()
export class RealtimeService {
  private countsChanged = false;
  /** Region totals as last sent, to send only the regions that moved. */
  private sentTotals = new Map<number, string>();
  private readonly recent: FeedChange[] = [];
  private pendingFeed: FeedChange[] = [];
  private omitted = 0;
  /** Monitored changes per region since the last drain, for what a region's feed left out. */
  private changesByRegion = new Map<number, number>();
  private readonly dirtyTerminals = new Set<number>();
  /** Alerts raised, changed or resolved since the last drain. */
  private readonly changedAlerts = new Set<number>();
  private tree: { nodes: RegionNode[]; until: number } | null = null;
  /** Changes to hand to the other instances at the next flush (ingest instance with Redis only). */
  private relay: HealthChange[] | null = null;

  constructor(
    private readonly auth: AuthService,
    private readonly live: LiveHealthService,
    private readonly policies: HealthPoliciesService,
    private readonly reads: HealthReadService,
    private readonly regions: RegionsService,
    private readonly terminals: TerminalsService,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
  ) {}

  /** The user behind a session token (the same sessions as the REST API). */
  authenticate(token: string): Promise<{ actor: Actor; expiresAt: Date }> {
    return this.auth.authenticate(token);
  }

  /** Whether this instance originates changes (it takes heartbeats) rather than mirroring another. */
  get ingests(): boolean {
    return this.live.ingests;
  }

  /** From now on, keep the changes for `takeRelay` (called once Redis joins the instances). */
  relayChanges(): void {
    if (this.live.ingests) this.relay ??= [];
  }

  /** The changes since the last call, for the other instances. */
  takeRelay(): HealthChange[] {
    const changes = this.relay ?? [];
    if (this.relay) this.relay = [];
    return changes;
  }

  /** The ingest instance's changes, on a mirror: applied to the live state and remembered for snapshots. */
  applyRemoteChanges(changes: HealthChange[]): void {
    if (this.live.ingests) return;
    this.live.applyRemote(changes);
    this.recordChanges(changes);
  }

  /** Inventory changed on another instance: terminals move, appear or leave here too. */
  applyRemoteTerminals(ids: number[]): Promise<void> {
    return this.live.refreshTerminals(ids);
  }

  /** A policy changed on another instance: read the policies again, and move the deadlines. */
  async applyRemotePolicy(scope: HealthPolicyChangedEvent): Promise<void> {
    await this.policies.load();
    this.live.reschedule(scope);
  }

  /** Whether the next drain has anything to send. */
  get pending(): boolean {
    return this.healthPending || this.dirtyTerminals.size > 0 || this.changedAlerts.size > 0;
  }

  recordAlerts(ids: number[]): void {
    for (const id of ids) this.changedAlerts.add(id);
  }

  /** Whether status changes (counts, feed) wait to be sent. */
  get healthPending(): boolean {
    return this.countsChanged || this.pendingFeed.length > 0 || this.omitted > 0;
  }

  recordChanges(changes: HealthChange[]): void {
    if (this.relay) for (const change of changes) this.relay.push(change);
    this.countsChanged = true;
    for (const change of changes) this.dirtyTerminals.add(change.terminalId);
    const monitored = changes.filter((change) => change.monitored);
    for (const change of monitored) this.changesByRegion.set(change.regionId, (this.changesByRegion.get(change.regionId) ?? 0) + 1);
    // Only the newest FEED_SIZE of a burst are kept; the rest are counted.
    const kept = monitored.slice(-FEED_SIZE).map(
      (change): FeedChange => ({ terminalId: change.terminalId, assetNumber: null, regionId: change.regionId, from: change.from, to: change.to, reasons: change.reasons, at: new Date(change.at).toISOString() }),
    );
    this.omitted += monitored.length - kept.length;
    this.pendingFeed.push(...kept);
    if (this.pendingFeed.length > FEED_SIZE) {
      this.omitted += this.pendingFeed.length - FEED_SIZE;
      this.pendingFeed = this.pendingFeed.slice(-FEED_SIZE);
    }
  }

  recordHeartbeats(terminalIds: number[]): void {
    for (const id of terminalIds) this.dirtyTerminals.add(id);
  }

  /** What a client gets when it joins a room; null for a terminal that does not exist. */
  async snapshot(room: string): Promise<Outgoing | null> {
    if (room === 'alerts' || room.startsWith('alerts:')) {
      const { summary, page } = await this.alerts.forRoom(room === 'alerts' ? undefined : Number(room.slice('alerts:'.length)));
      return { room, event: 'alerts:changed', message: { summary, alerts: page.items, omitted: Math.max(0, page.total - page.items.length), snapshot: true } };
    }
    if (room === 'feed') return { room, event: 'feed:changes', message: { changes: [...this.recent], omitted: 0, snapshot: true } };
    if (room.startsWith('feed:')) {
      const inside = await this.subtree(Number(room.slice('feed:'.length)));
      return { room, event: 'feed:changes', message: { changes: this.recent.filter((change) => inside.has(change.regionId)), omitted: 0, snapshot: true } };
    }
    if (room.startsWith('terminal:')) return this.terminalMessage(room, Number(room.slice('terminal:'.length)));
    const totals = await this.regionTotals();
    return { room, event: 'fleet:counts', message: await this.countsMessage(room, totals, [...totals.keys()], true) };
  }

  /** Whether a room exists to be joined (a region or terminal that is there). */
  async exists(room: string): Promise<boolean> {
    if (room === 'fleet' || room === 'feed' || room === 'alerts') return true;
    const id = Number(room.slice(room.indexOf(':') + 1));
    // A region created since the tree was cached: read it again before saying no.
    if (room.startsWith('region:') || room.startsWith('feed:') || room.startsWith('alerts:')) return (await this.regionNodes()).some((node) => node.id === id) || (await this.regionNodes(true)).some((node) => node.id === id);
    return this.live.state.has(id);
  }

  /**
   * Whether a user may join a room: a user limited to a region joins only
   * that region's sub-tree (its counts, its feed, its terminals), never the
   * fleet-wide rooms.
   */
  async allowed(actor: Actor, room: string): Promise<boolean> {
    const scope = actor.scope;
    if (!scope) return true;
    if (room === 'fleet' || room === 'feed' || room === 'alerts') return false;
    const id = Number(room.slice(room.indexOf(':') + 1));
    const regionId = room.startsWith('terminal:') ? this.live.state.attributes(id)?.regionId : id;
    const path = (await this.regionNodes()).find((node) => node.id === regionId)?.path;
    return path !== undefined && withinScope(scope, path);
  }

  /** The coalesced messages of every joined room since the last call. */
  async drain(rooms: string[]): Promise<Outgoing[]> {
    const out: Outgoing[] = [];
    if (this.pendingFeed.length > 0 || this.omitted > 0) {
      const changes = [...this.pendingFeed].reverse();
      // Named by asset number: one query for the at most FEED_SIZE changes sent.
      const numbers = await this.terminals.assetNumbersOf([...new Set(changes.map((change) => change.terminalId))]);
      for (const change of changes) change.assetNumber = numbers.get(change.terminalId) ?? null;
      this.recent.unshift(...changes);
      this.recent.length = Math.min(this.recent.length, FEED_SIZE);
      if (rooms.includes('feed')) out.push({ room: 'feed', event: 'feed:changes', message: { changes, omitted: this.omitted, snapshot: false } });
      for (const room of rooms.filter((r) => r.startsWith('feed:'))) {
        const inside = await this.subtree(Number(room.slice('feed:'.length)));
        const mine = changes.filter((change) => inside.has(change.regionId));
        const total = [...inside].reduce((sum, id) => sum + (this.changesByRegion.get(id) ?? 0), 0);
        if (total > 0) out.push({ room, event: 'feed:changes', message: { changes: mine, omitted: total - mine.length, snapshot: false } });
      }
      this.pendingFeed = [];
      this.omitted = 0;
      this.changesByRegion.clear();
    }
    if (this.countsChanged) {
      this.countsChanged = false;
      const totals = await this.regionTotals();
      const moved = [...totals].filter(([id, counts]) => this.sentTotals.get(id) !== key(counts)).map(([id]) => id);
      for (const id of moved) this.sentTotals.set(id, key(totals.get(id)!));
      for (const room of rooms.filter((r) => r === 'fleet' || r.startsWith('region:'))) {
        const message = await this.countsMessage(room, totals, moved, false);
        if (room === 'fleet' || message.regions.length > 0) out.push({ room, event: 'fleet:counts', message });
      }
    }
    if (this.changedAlerts.size > 0) {
      out.push(...(await this.alertMessages(rooms.filter((r) => r === 'alerts' || r.startsWith('alerts:')))));
      this.changedAlerts.clear();
    }
    if (this.dirtyTerminals.size > 0) {
      const watched = new Set(rooms.filter((r) => r.startsWith('terminal:')).map((r) => Number(r.slice('terminal:'.length))));
      for (const id of this.dirtyTerminals) {
        if (!watched.has(id)) continue;
        const message = await this.terminalMessage(`terminal:${id}`, id);
        if (message) out.push(message);
      }
      this.dirtyTerminals.clear();
    }
    return out;
  }

  /** Per alerts room: its counts now, and its alerts that changed (newest first, at most ALERTS_LIST_SIZE). */
  private async alertMessages(rooms: string[]): Promise<Outgoing[]> {
    if (rooms.length === 0) return [];
    const changed = (await this.alerts.byIds([...this.changedAlerts])).sort((a, b) => b.id - a.id);
    const out: Outgoing[] = [];
    for (const room of rooms) {
      const regionId = room === 'alerts' ? undefined : Number(room.slice('alerts:'.length));
      const inside = regionId === undefined ? null : await this.subtree(regionId);
      const mine = inside ? changed.filter((alert) => alert.region === null || inside.has(alert.region.id)) : changed;
      if (mine.length === 0) continue;
      const { summary } = await this.alerts.forRoom(regionId);
      out.push({ room, event: 'alerts:changed', message: { summary, alerts: mine.slice(0, ALERTS_LIST_SIZE), omitted: Math.max(0, mine.length - ALERTS_LIST_SIZE), snapshot: false } });
    }
    return out;
  }

  private async terminalMessage(room: string, terminalId: number): Promise<Outgoing | null> {
    if (!this.live.state.has(terminalId)) return null;
    return { room, event: 'terminal:health', message: { terminalId, health: await this.reads.terminalHealth(terminalId) } };
  }

  /** Counts for the fleet, or for one region and its sub-regions; `regionIds` limits the regions listed. */
  private async countsMessage(room: string, totals: Map<number, HealthCounts>, regionIds: number[], snapshot: boolean): Promise<FleetCountsMessage> {
    const state = this.live.state;
    if (room === 'fleet') {
      const regions: RegionCounts[] = regionIds.map((regionId) => ({ regionId, counts: totals.get(regionId)! }));
      return { at: this.clock.now().toISOString(), counts: state.counts(), reasons: state.reasonCounts(), regions, snapshot };
    }
    const rootId = Number(room.slice('region:'.length));
    const inside = await this.subtree(rootId);
    const regions: RegionCounts[] = regionIds.filter((id) => inside.has(id)).map((regionId) => ({ regionId, counts: totals.get(regionId)! }));
    return { at: this.clock.now().toISOString(), counts: totals.get(rootId) ?? { unknown: 0, online: 0, degraded: 0, offline: 0 }, reasons: null, regions, snapshot };
  }

  /** A region and every region below it. */
  private async subtree(regionId: number): Promise<Set<number>> {
    const nodes = await this.regionNodes();
    const root = nodes.find((node) => node.id === regionId);
    return new Set(root ? nodes.filter((node) => node.path.startsWith(root.path)).map((node) => node.id) : []);
  }

  /** Every region's counts including its sub-regions, from the live counters. */
  private async regionTotals(): Promise<Map<number, HealthCounts>> {
    return subtreeTotals(await this.regionNodes(), this.live.state.countsBy('region'));
  }

  private async regionNodes(refresh = false): Promise<RegionNode[]> {
    const now = this.clock.now().getTime();
    if (refresh || !this.tree || this.tree.until < now) {
      this.tree = { nodes: (await this.regions.regionTree()).map((region) => ({ id: region.id, path: region.path })), until: now + TREE_CACHE_MS };
    }
    return this.tree.nodes;
  }
}
