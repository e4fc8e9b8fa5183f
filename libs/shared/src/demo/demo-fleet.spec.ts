import { REGION_CODE_PATTERN } from '../terminals/asset-number';
import { generateDemoFleet } from './demo-fleet';

const today = '2026-11-22';
const fleet = generateDemoFleet({ seed: 1, today });

describe(generateDemoFleet.name, () => {
  it('should give the same fleet for the same seed and another for another seed', () => {
    expect(generateDemoFleet({ seed: 1, today, terminals: 300 })).toEqual(generateDemoFleet({ seed: 1, today, terminals: 300 }));
    expect(generateDemoFleet({ seed: 2, today, terminals: 300 }).terminals).not.toEqual(generateDemoFleet({ seed: 1, today, terminals: 300 }).terminals);
  });

  it('should make 6,000 terminals by default, ten models from five suppliers, over several regions', () => {
    expect(fleet.terminals).toHaveLength(6000);
    expect(fleet.models).toHaveLength(10);
    expect(fleet.suppliers).toHaveLength(5);
    expect(new Set(fleet.terminals.map((t) => t.regionCode)).size).toBeGreaterThanOrEqual(15);
  });

  it('should give unique serial numbers and valid region codes', () => {
    expect(new Set(fleet.terminals.map((t) => t.serialNumber)).size).toBe(fleet.terminals.length);
    for (const region of fleet.regions) expect(region.code).toMatch(REGION_CODE_PATTERN);
  });

  it('should refer only to records it made, placing terminals in branches', () => {
    const leafCodes = new Set(fleet.regions.filter((r) => r.parentCode !== null).map((r) => r.code));
    const models = new Set(fleet.models.map((m) => m.name));
    const suppliers = new Set(fleet.suppliers.map((s) => s.name));
    const merchants = new Set(fleet.merchants.map((m) => m.name));
    const policies = new Set(fleet.policies.map((p) => p.policyNumber));
    for (const t of fleet.terminals) {
      expect(leafCodes.has(t.regionCode)).toBe(true);
      expect(models.has(t.modelName)).toBe(true);
      expect(suppliers.has(t.supplierName)).toBe(true);
      if (t.merchantName) expect(merchants.has(t.merchantName)).toBe(true);
      if (t.insurancePolicyNumber) expect(policies.has(t.insurancePolicyNumber)).toBe(true);
    }
    expect(new Set(fleet.merchants.map((m) => m.name)).size).toBe(fleet.merchants.length);
  });

  it('should date every purchase in the past and end each warranty after the model’s months', () => {
    const months = new Map(fleet.models.map((m) => [m.name, m.defaultWarrantyMonths ?? 12]));
    for (const t of fleet.terminals) {
      expect(t.purchaseDate <= today).toBe(true);
      expect(t.warrantyStart).toBe(t.purchaseDate);
      const end = new Date(`${t.warrantyStart}T00:00:00Z`);
      end.setUTCMonth(end.getUTCMonth() + (months.get(t.modelName) ?? 0));
      expect(Math.abs(Date.parse(`${t.warrantyEnd}T00:00:00Z`) - end.getTime())).toBeLessThanOrEqual(3 * 86_400_000);
    }
  });

  it('should have warranties ending soon, long ended and still running', () => {
    const in90 = '2027-02-20';
    expect(fleet.terminals.filter((t) => t.warrantyEnd >= today && t.warrantyEnd <= in90).length).toBeGreaterThan(50);
    expect(fleet.terminals.filter((t) => t.warrantyEnd < '2025-01-01').length).toBeGreaterThan(500);
    expect(fleet.terminals.filter((t) => t.warrantyEnd > in90).length).toBeGreaterThan(1000);
  });

  it('should be mostly deployed with stock, spares, repairs and retirements', () => {
    const share = (status: string) => fleet.terminals.filter((t) => t.status === status).length / fleet.terminals.length;
    expect(share('deployed')).toBeGreaterThan(0.65);
    for (const status of ['in_stock', 'spare', 'in_repair', 'retired', 'disposed']) expect(share(status)).toBeGreaterThan(0);
    expect(fleet.terminals.filter((t) => t.status === 'deployed').every((t) => t.merchantName !== null)).toBe(true);
  });

  it('should insure about a third of the terminals and plant failure rates that differ at least twofold', () => {
    const insured = fleet.terminals.filter((t) => t.insurancePolicyNumber).length / fleet.terminals.length;
    expect(insured).toBeGreaterThan(0.2);
    expect(insured).toBeLessThan(0.4);
    const rates = fleet.models.map((m) => m.annualFailureRate);
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThanOrEqual(2);
  });
});
