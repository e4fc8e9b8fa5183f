import { CLAIM_PAYERS, type IncidentEventKind } from '../incidents/incidents.contracts';
import { OPEN_INCIDENT_STAGES, planIncidentAction, type IncidentAction, type IncidentWorkflowState } from '../incidents/incident-workflow';
import { adviseRepair } from '../incidents/repair-advice';
import { generateDemoFleet } from './demo-fleet';
import {
  DEMO_FAILURE_SHAPES,
  EARLY_LIFE_DAYS,
  failureMultiplier,
  generateDemoIncidents,
  type DemoIncident,
  type DemoIncidentEvent,
  type DemoIncidentsOptions,
  type DemoIncidentTerminal,
  type DemoIncidentUser,
} from './demo-incidents';

const NOW = '2026-11-22T10:00:00.000Z';
const DAY = 86_400_000;
const YEAR = 365.25 * DAY;

const USERS: DemoIncidentUser[] = [
  { id: 1, username: 'admin', role: 'admin', regionCode: null },
  { id: 3, username: 'manager', role: 'fleet_manager', regionCode: null },
  { id: 4, username: 'buyer', role: 'procurement', regionCode: null },
  { id: 5, username: 'tech', role: 'technician', regionCode: null },
  { id: 7, username: 'bj-manager', role: 'fleet_manager', regionCode: 'BJ' },
  { id: 8, username: 'tech-li', role: 'technician', regionCode: null },
  { id: 9, username: 'gd-tech', role: 'technician', regionCode: 'GD' },
];

/** The demo fleet as the API would have stored it: numbered, with ids. */
function demoInput(overrides: { terminals?: number; seed?: number; fleetSeed?: number } = {}): DemoIncidentsOptions {
  const fleet = generateDemoFleet({ seed: overrides.fleetSeed ?? 7, today: NOW.slice(0, 10), terminals: overrides.terminals ?? 1500 });
  const merchantIds = new Map(fleet.merchants.map((merchant, index) => [merchant.name, 100 + index]));
  const categories = new Map(fleet.models.map((model) => [model.name, model.category]));
  const policies = new Map(fleet.policies.map((policy) => [policy.policyNumber, policy]));
  const terminals: DemoIncidentTerminal[] = fleet.terminals.map((terminal, index) => {
    const policy = terminal.insurancePolicyNumber ? policies.get(terminal.insurancePolicyNumber)! : null;
    return {
      id: 1000 + index,
      assetNumber: `POS-${terminal.regionCode}-${String(index + 1).padStart(6, '0')}`,
      modelName: terminal.modelName,
      supplierName: terminal.supplierName,
      category: categories.get(terminal.modelName)!,
      regionCode: terminal.regionCode,
      merchantId: terminal.merchantName ? merchantIds.get(terminal.merchantName)! : null,
      status: terminal.status,
      purchaseDate: terminal.purchaseDate,
      purchasePrice: terminal.purchasePrice,
      currency: terminal.currency,
      warrantyStart: terminal.warrantyStart,
      warrantyEnd: terminal.warrantyEnd,
      policy: policy ? { policyNumber: policy.policyNumber, insurer: policy.insurer, startDate: policy.startDate, endDate: policy.endDate, deductible: policy.deductible ?? null } : null,
      firmwareVersion: terminal.firmwareVersion,
    };
  });
  return {
    seed: overrides.seed ?? 11,
    now: NOW,
    terminals,
    models: fleet.models,
    merchants: fleet.merchants.map((merchant) => ({ id: merchantIds.get(merchant.name)!, regionCode: merchant.regionCode, contactName: merchant.contactName })),
    users: USERS,
    regions: fleet.regions,
  };
}

const input = demoInput();
const { incidents, moves } = generateDemoIncidents(input);
const terminalById = new Map(input.terminals.map((terminal) => [terminal.id, terminal]));
const terminalOf = (ticket: DemoIncident) => terminalById.get(ticket.terminalId)!;
const ms = (iso: string) => Date.parse(iso);
const closed = incidents.filter((ticket) => ticket.stage === 'closed');
const open = incidents.filter((ticket) => ticket.stage !== 'closed');

/** The step an event records, as the state machine knows it; null for events that move no stage. */
function actionOf(event: DemoIncidentEvent): IncidentAction | null {
  const steps: Partial<Record<IncidentEventKind, IncidentAction>> = {
    first_response: { type: 'respond', fixed: event.details.fixed === true },
    diagnosed: { type: 'diagnose' },
    decided: { type: 'decide' },
    spare_lent: { type: 'lendSpare' },
    backed_up: { type: 'backUp' },
    shipped: { type: 'ship' },
    received: { type: 'receive' },
    repaired_on_site: { type: 'repairOnSite' },
    replaced: { type: 'replace' },
    tested: { type: 'test', passed: event.details.passed === true },
    data_restored: { type: 'restoreData' },
    closed: { type: 'close', resolution: event.details.resolution as never },
    reopened: { type: 'reopen' },
  };
  return steps[event.kind] ?? null;
}

/** Replays a ticket's timeline through the state machine; returns the problems found and the state it ends in. */
function replay(ticket: DemoIncident): { problems: string[]; state: IncidentWorkflowState } {
  const problems: string[] = [];
  let state: IncidentWorkflowState = { stage: 'reported', decision: null, backedUp: false, restored: false, spareOut: false };
  const [first, ...rest] = ticket.events;
  if (first?.kind !== 'reported' || first.stageTo !== 'reported') problems.push('does not start with the report');
  for (const event of rest) {
    const action = actionOf(event);
    if (!action) {
      const writesStage = event.kind === 'assigned' || event.kind === 'rated';
      if (event.stageTo !== null || event.stageFrom !== (writesStage ? state.stage : null)) problems.push(`${event.kind} names stages ${event.stageFrom}→${event.stageTo}`);
      if (state.stage === 'closed') problems.push(`${event.kind} on a closed ticket`);
      if (event.kind === 'rated' && state.stage !== 'resolved') problems.push(`rated while ${state.stage}`);
      continue;
    }
    const plan = planIncidentAction(state, action);
    if (!plan.ok) {
      problems.push(`${event.kind}: ${plan.reason}`);
      break;
    }
    if (event.stageFrom !== state.stage || event.stageTo !== (plan.to === state.stage ? null : plan.to)) problems.push(`${event.kind} names ${event.stageFrom}→${event.stageTo}, not ${state.stage}→${plan.to}`);
    state = {
      stage: plan.to,
      decision: event.kind === 'decided' ? (event.details.decision as IncidentWorkflowState['decision']) : state.decision,
      backedUp: state.backedUp || event.kind === 'backed_up',
      restored: state.restored || event.kind === 'data_restored',
      spareOut: event.kind === 'spare_lent' ? true : event.kind === 'tested' && event.details.passed === true && event.details.spareOutcome ? false : state.spareOut,
    };
  }
  return { problems, state };
}

describe(generateDemoIncidents.name, () => {
  it('should give the same history for the same seed and another for another seed', () => {
    const small = demoInput({ terminals: 400 });
    expect(generateDemoIncidents(small)).toEqual(generateDemoIncidents(small));
    expect(generateDemoIncidents({ ...small, seed: 12 }).incidents).not.toEqual(generateDemoIncidents(small).incidents);
  });

  it('should close most tickets and leave a handful open in every column of the board', () => {
    expect(incidents.length).toBeGreaterThan(150);
    expect(open.length).toBeGreaterThanOrEqual(12);
    expect(open.length).toBeLessThanOrEqual(40);
    expect(new Set(open.map((ticket) => ticket.stage))).toEqual(new Set(OPEN_INCIDENT_STAGES));
  });

  it('should scale the open tickets with the fleet, 15 to 40', () => {
    const large = generateDemoIncidents(demoInput({ terminals: 6000 }));
    const stillOpen = large.incidents.filter((ticket) => ticket.stage !== 'closed').length;
    expect(stillOpen).toBeGreaterThanOrEqual(30);
    expect(stillOpen).toBeLessThanOrEqual(40);
  });

  const histories: [string, DemoIncident[]][] = [
    ['the demo fleet', incidents],
    ...[21, 22, 23, 24].map((seed): [string, DemoIncident[]] => [`seed ${seed}`, generateDemoIncidents(demoInput({ terminals: 500, seed, fleetSeed: seed })).incidents]),
  ];
  it.each(histories)('should produce only timelines the state machine accepts, ending in the ticket’s own state (%s)', (_name, tickets) => {
    const problems: string[] = [];
    for (const ticket of tickets) {
      const { problems: found, state } = replay(ticket);
      const expected: IncidentWorkflowState = {
        stage: ticket.stage,
        decision: ticket.decision,
        backedUp: ticket.backup !== null,
        restored: ticket.dataRestore !== null,
        spareOut: ticket.spareTerminalId !== null && ticket.spareOutcome === null,
      };
      if (JSON.stringify(state) !== JSON.stringify(expected)) found.push(`ends as ${JSON.stringify(state)}, columns say ${JSON.stringify(expected)}`);
      problems.push(...found.map((problem) => `terminal ${ticket.terminalId} at ${ticket.reportedAt}: ${problem}`));
    }
    expect(problems).toEqual([]);
  });

  it('should give each unit service spans that never overlap, open only for units deployed today', () => {
    const input = demoInput();
    const { services, moves } = generateDemoIncidents(input);
    const status = new Map(input.terminals.map((terminal) => [terminal.id, terminal.status]));
    for (const move of moves) status.set(move.terminalId, move.status);
    const problems: string[] = [];
    let previous: (typeof services)[number] | undefined;
    for (const span of services) {
      if (span.to !== null && span.to <= span.from) problems.push(`${span.terminalId}: empty span at ${span.from}`);
      if (previous?.terminalId === span.terminalId && (previous.to === null || previous.to > span.from)) problems.push(`${span.terminalId}: overlap at ${span.from}`);
      if (span.to === null && status.get(span.terminalId) !== 'deployed') problems.push(`${span.terminalId}: open span but ${status.get(span.terminalId)} today`);
      previous = span;
    }
    expect(problems).toEqual([]);
    expect(services.length).toBeGreaterThan(input.terminals.filter((terminal) => terminal.status === 'deployed').length * 0.9);
  });

  it('should report every failure while its unit was in service, so the reliability figures count it', () => {
    const input = demoInput();
    const { services, incidents: tickets } = generateDemoIncidents(input);
    const failures = tickets.filter((ticket) => !['no_fault_found', 'duplicate', 'cancelled'].includes(ticket.resolution ?? ''));
    const inService = failures.filter((ticket) =>
      services.some((span) => span.terminalId === ticket.terminalId && span.from <= ticket.reportedAt && (span.to === null || ticket.reportedAt <= span.to)),
    );
    expect(failures.filter((ticket) => !inService.includes(ticket)).map((ticket) => `${ticket.terminalId} at ${ticket.reportedAt}`)).toEqual([]);
  });

  it('should fill the columns the steps write, as the API would', () => {
    const commits: IncidentEventKind[] = ['assigned', 'first_response', 'diagnosed', 'decided', 'spare_lent', 'backed_up', 'shipped', 'received', 'repaired_on_site', 'replaced', 'tested', 'data_restored', 'closed', 'reopened', 'rated'];
    for (const ticket of incidents) {
      const events = ticket.events;
      const committed = events.filter((event) => commits.includes(event.kind));
      expect(ticket.version).toBe(1 + committed.length);
      expect(ticket.updatedAt).toBe(committed[committed.length - 1]?.at ?? ticket.reportedAt);
      expect(ticket.closedAt).toBe(ticket.stage === 'closed' ? [...events].reverse().find((event) => event.stageTo === 'closed')!.at : null);
      expect(ticket.testAttempts).toBe(events.filter((event) => event.kind === 'tested').length);
      expect(ticket.reopenCount).toBe(events.filter((event) => event.kind === 'reopened').length);
      const firstStep = events.find((event) => event.kind === 'first_response' || event.kind === 'diagnosed');
      expect(ticket.respondedAt).toBe(firstStep?.at ?? null);
      const lent = events.find((event) => event.kind === 'spare_lent');
      const fixedAt = [...events].reverse().find((event) => (event.kind === 'tested' && event.details.passed === true) || (event.kind === 'first_response' && event.details.fixed === true));
      if (lent) expect(ticket.restoredAt).toBe(lent.at);
      else expect(ticket.restoredAt).toBe(events.find((event) => (event.kind === 'tested' && event.details.passed === true) || (event.kind === 'first_response' && event.details.fixed === true))?.at ?? null);
      if (ticket.stage === 'resolved' || ticket.resolution === 'repaired' || ticket.resolution === 'replaced' || ticket.resolution === 'fixed_on_first_response') expect(ticket.resolvedAt).toBe(fixedAt!.at);
      else expect(ticket.resolvedAt).toBeNull();
      for (const [index, cost] of ticket.costs.entries()) {
        const costEvents = events.filter((event) => event.costIndex === index);
        expect(costEvents.map((event) => event.kind)).toEqual(['cost_added', ...Array(cost.version - 1).fill('cost_updated')]);
        expect([cost.createdAt, cost.updatedAt]).toEqual([costEvents[0]!.at, costEvents[costEvents.length - 1]!.at]);
      }
    }
  });

  it('should keep every instant between the unit’s purchase and now, each timeline in order', () => {
    const now = ms(NOW);
    for (const ticket of incidents) {
      const purchase = ms(`${terminalOf(ticket).purchaseDate!}T00:00:00Z`);
      expect(ms(ticket.occurredAt)).toBeGreaterThan(purchase);
      expect(ms(ticket.reportedAt)).toBeGreaterThanOrEqual(ms(ticket.occurredAt));
      const times = ticket.events.map((event) => ms(event.at));
      expect(times[0]).toBe(ms(ticket.reportedAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[times.length - 1]).toBeLessThanOrEqual(now);
    }
  });

  it('should never give a terminal two tickets at once, nor one while it was in stock or a spare', () => {
    const byTerminal = new Map<number, DemoIncident[]>();
    for (const ticket of incidents) byTerminal.set(ticket.terminalId, [...(byTerminal.get(ticket.terminalId) ?? []), ticket]);
    for (const tickets of byTerminal.values()) {
      for (let i = 1; i < tickets.length; i++) {
        const before = tickets[i - 1]!;
        expect(before.stage).toBe('closed');
        expect(ms(tickets[i]!.reportedAt)).toBeGreaterThan(ms(before.events[before.events.length - 1]!.at));
      }
    }
    for (const ticket of incidents) expect(['deployed', 'in_repair', 'retired', 'disposed']).toContain(terminalOf(ticket).status);
  });

  it('should put open tickets at repair or testing on units in repair today, the other open tickets on deployed units', () => {
    for (const ticket of open) {
      expect([ticket.stage, terminalOf(ticket).status]).toEqual([ticket.stage, ticket.stage === 'at_repair' || ticket.stage === 'testing' ? 'in_repair' : 'deployed']);
    }
  });

  it('should end a replaced unit’s service: retired or disposed today, replaced by a unit deployed today at the ticket’s merchant, each used once', () => {
    const replaced = closed.filter((ticket) => ticket.resolution === 'replaced');
    expect(replaced.length).toBeGreaterThan(0);
    for (const ticket of replaced) {
      const replacement = terminalById.get(ticket.replacementTerminalId!)!;
      expect(['retired', 'disposed']).toContain(terminalOf(ticket).status);
      expect(replacement).toMatchObject({ status: 'deployed', merchantId: ticket.merchantId, regionCode: terminalOf(ticket).regionCode, category: terminalOf(ticket).category });
      // The replacement served from then on only.
      const later = incidents.filter((other) => other.terminalId === replacement.id);
      for (const other of later) expect(ms(other.reportedAt)).toBeGreaterThan(ms(ticket.resolvedAt!));
    }
    expect(new Set(replaced.map((ticket) => ticket.replacementTerminalId)).size).toBe(replaced.length);
    expect(incidents.filter((ticket) => ticket.decision === 'replace' && ticket.resolution !== 'replaced')).toEqual([]);
  });

  it('should lend spares from today’s pool of the same branch and category, never twice at once, and deploy those still out', () => {
    const lends = new Map<number, [number, number][]>();
    for (const ticket of incidents.filter((t) => t.spareTerminalId !== null)) {
      const spare = terminalById.get(ticket.spareTerminalId!)!;
      expect(spare).toMatchObject({ status: 'spare', regionCode: terminalOf(ticket).regionCode, category: terminalOf(ticket).category });
      if (ticket.stage === 'closed') expect(ticket.spareOutcome).toBe('return');
      const span: [number, number] = [ms(ticket.spareLentAt!), ticket.spareSettledAt ? ms(ticket.spareSettledAt) : Infinity];
      for (const [from, to] of lends.get(spare.id) ?? []) expect(span[1] < from || span[0] > to).toBe(true);
      lends.set(spare.id, [...(lends.get(spare.id) ?? []), span]);
    }
    const out = incidents.map((ticket, index) => ({ ticket, index })).filter(({ ticket }) => ticket.stage !== 'closed' && ticket.spareTerminalId !== null && ticket.spareOutcome === null);
    expect(moves).toEqual(out.map(({ ticket, index }) => ({ incident: index, terminalId: ticket.spareTerminalId, status: 'deployed', merchantId: ticket.merchantId, reason: 'spare lent' })));
    expect(closed.filter((ticket) => ticket.spareTerminalId !== null).length).toBeGreaterThan(0.15 * closed.filter((ticket) => ticket.decision !== null).length);
  });

  it('should take the repair decisions the advice gives, as it stood on the day', () => {
    for (const ticket of incidents) {
      const terminal = terminalOf(ticket);
      for (const event of ticket.events.filter((e) => e.kind === 'decided')) {
        const advice = adviseRepair({
          today: event.at.slice(0, 10),
          warrantyStart: terminal.warrantyStart,
          warrantyEnd: terminal.warrantyEnd,
          policy: terminal.policy,
          responsibility: ticket.responsibility,
          cause: ticket.cause,
          damage: ticket.symptom === 'physical_damage' || ticket.circumstances !== null,
          repairQuote: event.details.repairQuote as number | null,
          replacementPrice: (event.details.replacementPrice as number | null) ?? input.models.find((m) => m.name === terminal.modelName)!.listPrice ?? null,
          purchaseDate: terminal.purchaseDate,
        });
        expect(event.details.recommended).toBe(advice.decision);
        if (event.details.decision !== 'on_site_repair') expect(event.details.decision).toBe(advice.decision);
      }
    }
  });

  it('should blame defects mostly in warranty, damage on misuse with its circumstances, and wear on older units', () => {
    const diagnosed = incidents.filter((ticket) => ticket.diagnosedAt !== null);
    const inWarranty = (ticket: DemoIncident) => ticket.diagnosedAt!.slice(0, 10) <= terminalOf(ticket).warrantyEnd!;
    const defects = diagnosed.filter((ticket) => ticket.cause === 'quality_defect');
    expect(defects.filter(inWarranty).length / defects.length).toBeGreaterThan(0.6);
    for (const ticket of incidents.filter((t) => t.symptom === 'physical_damage')) {
      expect(ticket.circumstances).not.toBeNull();
      if (ticket.cause !== null) expect(['misuse', 'environment']).toContain(ticket.cause);
    }
    for (const ticket of incidents.filter((t) => t.symptom !== 'physical_damage')) expect(ticket.circumstances).toBeNull();
    const meanAge = (tickets: DemoIncident[]) => tickets.reduce((sum, t) => sum + (ms(t.occurredAt) - ms(`${terminalOf(t).purchaseDate!}T00:00:00Z`)) / YEAR, 0) / tickets.length;
    expect(meanAge(diagnosed.filter((t) => t.cause === 'wear'))).toBeGreaterThan(meanAge(defects) + 0.5);
    expect(diagnosed.filter((t) => t.responsibility === 'person').every((t) => t.responsiblePerson !== null)).toBe(true);
  });

  it('should settle costs with claims only against suppliers and insurers, the bank bearing an insurer’s deductible', () => {
    const costs = incidents.flatMap((ticket) => ticket.costs);
    for (const cost of costs) {
      if (cost.claimStatus !== null) expect(CLAIM_PAYERS).toContain(cost.payer);
      if (cost.claimStatus === 'paid') expect(cost.paidAmount).not.toBeNull();
      if (cost.approvedAmount !== null) expect(cost.approvedAmount).toBeLessThanOrEqual(cost.claimedAmount!);
      expect(cost.amount).toBeGreaterThan(0);
    }
    for (const ticket of incidents.filter((t) => t.costs.some((cost) => cost.payer === 'insurer'))) {
      expect(ticket.costs.some((cost) => cost.payer === 'bank' && cost.kind === ticket.costs.find((c) => c.payer === 'insurer')!.kind)).toBe(true);
    }
    const supplierClaims = costs.filter((cost) => cost.payer === 'supplier');
    const settled = supplierClaims.filter((cost) => cost.claimStatus === 'paid' || cost.claimStatus === 'approved').length;
    expect(settled / supplierClaims.length).toBeGreaterThan(0.6);
    expect(supplierClaims.some((cost) => cost.claimStatus === 'rejected')).toBe(true);
  });

  it('should give technicians the tickets of regions they cover, a region-limited one most of its own', () => {
    const regionOf = new Map(input.regions.map((region) => [region.code, region.parentCode]));
    const province = (ticket: DemoIncident) => regionOf.get(terminalOf(ticket).regionCode);
    const assigned = incidents.filter((ticket) => ticket.assigneeId !== null);
    expect(assigned.length).toBeGreaterThan(0.95 * incidents.length);
    expect(assigned.every((ticket) => [5, 8, 9].includes(ticket.assigneeId!))).toBe(true);
    expect(assigned.filter((ticket) => ticket.assigneeId === 9).every((ticket) => province(ticket) === 'GD')).toBe(true);
    const guangdong = assigned.filter((ticket) => province(ticket) === 'GD');
    expect(guangdong.filter((ticket) => ticket.assigneeId === 9).length / guangdong.length).toBeGreaterThan(0.5);
  });

  it('should leave a technician’s note on every fixed ticket, for the common-faults table', () => {
    const fixed = closed.filter((ticket) => ['fixed_on_first_response', 'repaired', 'replaced'].includes(ticket.resolution!));
    expect(fixed.length).toBeGreaterThan(0.8 * closed.length);
    for (const ticket of fixed) expect(ticket.resolutionNote?.length).toBeGreaterThan(5);
  });

  it('should recover each model’s planted failure rate, with its shape, from the units in service since purchase', () => {
    const large = demoInput({ terminals: 6000, fleetSeed: 20261122 });
    const generated = generateDemoIncidents(large).incidents;
    const replacements = new Set(generated.map((ticket) => ticket.replacementTerminalId));
    const units = large.terminals.filter((terminal) => terminal.status === 'deployed' && !replacements.has(terminal.id));
    const now = ms(NOW);
    const tickets = new Map<number, DemoIncident[]>();
    for (const ticket of generated) tickets.set(ticket.terminalId, [...(tickets.get(ticket.terminalId) ?? []), ticket]);
    const misses: string[] = [];
    for (const model of large.models) {
      const shape = DEMO_FAILURE_SHAPES[model.name] ?? 'flat';
      let expected = 0;
      let observed = 0;
      for (const unit of units.filter((terminal) => terminal.modelName === model.name)) {
        const start = ms(`${unit.purchaseDate!}T00:00:00Z`) + 16 * DAY;
        for (let at = start; at < now; at += 30 * DAY) expected += (model.annualFailureRate * failureMultiplier(shape, (at - start) / YEAR) * Math.min(30 * DAY, now - at)) / YEAR;
        observed += tickets.get(unit.id)?.length ?? 0;
      }
      // Units out for repair are not exposed, so a little below the integral; never beyond noise.
      if (Math.abs(observed - 0.97 * expected) >= 3.5 * Math.sqrt(expected) + 0.05 * expected) misses.push(`${model.name}: ${observed} failures, ${expected.toFixed(0)} expected`);
    }
    expect(misses).toEqual([]);
    const rateByAge = (modelName: string, fromDays: number, toDays: number) => {
      let exposure = 0;
      let failures = 0;
      for (const unit of units.filter((terminal) => terminal.modelName === modelName)) {
        const purchase = ms(`${unit.purchaseDate!}T00:00:00Z`);
        exposure += Math.max(0, Math.min(now, purchase + toDays * DAY) - (purchase + fromDays * DAY)) / YEAR;
        failures += (tickets.get(unit.id) ?? []).filter((t) => ms(t.occurredAt) >= purchase + fromDays * DAY && ms(t.occurredAt) < purchase + toDays * DAY).length;
      }
      return failures / exposure;
    };
    expect(rateByAge('Newland ME31', 0, EARLY_LIFE_DAYS)).toBeGreaterThan(2 * rateByAge('Newland ME31', EARLY_LIFE_DAYS, 3 * 365));
    expect(rateByAge('Landi E530', 3 * 365, 7 * 365)).toBeGreaterThan(1.3 * rateByAge('Landi E530', 0, 365));
  });
});

describe(failureMultiplier.name, () => {
  it.each(['flat', 'wear_out', 'early_life'] as const)('should average 1 over the first three years for the %s shape', (shape) => {
    let sum = 0;
    const steps = 3 * 365;
    for (let day = 0; day < steps; day++) sum += failureMultiplier(shape, (day + 0.5) / 365.25);
    expect(sum / steps).toBeCloseTo(1, 1);
  });

  it('should grow with age when wearing out and start high in early life', () => {
    expect(failureMultiplier('wear_out', 4)).toBeGreaterThan(failureMultiplier('wear_out', 0.5));
    expect(failureMultiplier('early_life', 30 / 365.25)).toBeGreaterThan(3 * failureMultiplier('early_life', 1) - 0.5);
  });
});
