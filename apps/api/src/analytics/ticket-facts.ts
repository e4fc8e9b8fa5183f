/**
 * A ticket reduced to what the repair-time and cost figures read: its
 * durations, whether it was fixed the first time, its costs by payer and its
 * claims. The rollup job writes one per ticket into `incident_facts` when the
 * ticket (or one of its cost lines) changes; the figures sum and rank them.
 */
import { INCIDENT_NO_FAILURE_RESOLUTIONS, type ClaimStatus, type CostPayer, type IncidentResolution, type RepairDecision } from '@fleet/shared';
import { isFirstTimeFix } from '../incidents/incident-statistics';

const HOUR_MS = 3_600_000;

/** The tallies of a ticket's claims against one payer, in the order the facts table keeps them. */
export const TICKET_CLAIM_FIELDS = ['claims', 'decided', 'accepted', 'claimed', 'recovered', 'pending'] as const;

export interface TicketClaims {
  /** Claims filed, and of them decided (approved, paid or rejected) and accepted (approved or paid). */
  claims: number;
  decided: number;
  accepted: number;
  claimed: number;
  /** Paid, else approved, else claimed, of the accepted claims. */
  recovered: number;
  /** Claimed and not decided yet. */
  pending: number;
}

/** A tally per claim field, e.g. the sums of two groups. */
export function claimsFrom(value: (field: (typeof TICKET_CLAIM_FIELDS)[number]) => number): TicketClaims {
  return Object.fromEntries(TICKET_CLAIM_FIELDS.map((field) => [field, value(field)])) as unknown as TicketClaims;
}

export interface TicketFact {
  incidentId: number;
  reportedMs: number;
  regionId: number;
  modelId: number;
  supplierId: number;
  assigneeId: number | null;
  assigneeName: string | null;
  repairVendor: string | null;
  cause: string | null;
  /** Counts as a failure: not closed as no fault found, duplicate or cancelled. */
  failure: boolean;
  /** Needed a repair decision (beyond a fix on first response): the unit was away or worked on. */
  decided: boolean;
  /** Closed after a fix; first-time fix and reopen rates are over these. */
  fixed: boolean;
  firstTimeFix: boolean;
  reopened: boolean;
  /** Report → service restored, report → unit repaired, and for supplier RMAs shipped → back; null until reached. */
  restoreHours: number | null;
  repairHours: number | null;
  rmaHours: number | null;
  costs: Record<CostPayer, number>;
  warranty: TicketClaims;
  insurance: TicketClaims;
}

/** The incidents columns a fact is made of. */
export interface IncidentForFact {
  id: number;
  reportedAt: number;
  regionId: number;
  modelId: number;
  supplierId: number;
  assigneeId: number | null;
  assigneeName: string | null;
  repairVendor: string | null;
  cause: string | null;
  decision: RepairDecision | null;
  resolution: IncidentResolution | null;
  restoredAt: number | null;
  resolvedAt: number | null;
  shippedAt: number | null;
  returnedAt: number | null;
  closedAt: number | null;
  reopenCount: number;
  testAttempts: number;
}

export interface CostForFact {
  payer: CostPayer;
  amount: number;
  claimStatus: ClaimStatus | null;
  claimedAmount: number | null;
  approvedAmount: number | null;
  paidAmount: number | null;
}

function claimsOf(costs: readonly CostForFact[], payer: CostPayer): TicketClaims {
  const claims = costs.filter((cost) => cost.payer === payer && cost.claimStatus !== null);
  const decided = claims.filter((cost) => cost.claimStatus !== 'submitted');
  const accepted = decided.filter((cost) => cost.claimStatus === 'approved' || cost.claimStatus === 'paid');
  const claimed = (cost: CostForFact) => cost.claimedAmount ?? cost.amount;
  const sum = (list: readonly CostForFact[], value: (cost: CostForFact) => number) => list.reduce((total, cost) => total + value(cost), 0);
  return {
    claims: claims.length,
    decided: decided.length,
    accepted: accepted.length,
    claimed: sum(claims, claimed),
    recovered: sum(accepted, (cost) => cost.paidAmount ?? cost.approvedAmount ?? claimed(cost)),
    pending: sum(
      claims.filter((cost) => cost.claimStatus === 'submitted'),
      claimed,
    ),
  };
}

export function ticketFact(incident: IncidentForFact, costs: readonly CostForFact[]): TicketFact {
  const hours = (to: number | null, from: number | null) => (to === null || from === null ? null : (to - from) / HOUR_MS);
  const fixed = incident.closedAt !== null && incident.resolution !== null && !INCIDENT_NO_FAILURE_RESOLUTIONS.includes(incident.resolution);
  const byPayer = { supplier: 0, insurer: 0, bank: 0, merchant: 0, person: 0 } satisfies Record<CostPayer, number>;
  for (const cost of costs) byPayer[cost.payer] += cost.amount;
  return {
    incidentId: incident.id,
    reportedMs: incident.reportedAt,
    regionId: incident.regionId,
    modelId: incident.modelId,
    supplierId: incident.supplierId,
    assigneeId: incident.assigneeId,
    assigneeName: incident.assigneeName,
    repairVendor: incident.repairVendor,
    cause: incident.cause,
    failure: incident.resolution === null || !INCIDENT_NO_FAILURE_RESOLUTIONS.includes(incident.resolution),
    decided: incident.decision !== null,
    fixed,
    firstTimeFix: fixed && isFirstTimeFix(incident),
    reopened: fixed && incident.reopenCount > 0,
    restoreHours: hours(incident.restoredAt, incident.reportedAt),
    repairHours: hours(incident.resolvedAt, incident.reportedAt),
    rmaHours: incident.decision === 'supplier_rma' ? hours(incident.returnedAt, incident.shippedAt) : null,
    costs: byPayer,
    warranty: claimsOf(costs, 'supplier'),
    insurance: claimsOf(costs, 'insurer'),
  };
}
