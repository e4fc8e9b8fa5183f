import { FixedClock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import type { AppConfig } from '../config/app-config';
import type { Tx } from '../database/transaction';
import { TerminalEntity } from './terminal.entity';
import type { CreateTerminalDto } from './terminals.dto';
import { defaultWarranty, TerminalsService } from './terminals.service';

const clock = new FixedClock(new Date('2026-11-22T08:00:00Z'));
const tx = {} as Tx;

function newTerminal(overrides: Partial<TerminalEntity> = {}): TerminalEntity {
  return Object.assign(new TerminalEntity(), {
    id: 1,
    assetNumber: 'POS-BJ-000001',
    serialNumber: 'SN1',
    modelId: 1,
    supplierId: 1,
    category: 'smart',
    regionId: 3,
    merchantId: null,
    custodian: null,
    status: 'deployed',
    purchaseDate: '2024-01-31',
    purchasePrice: null,
    currency: 'CNY',
    batch: null,
    firmwareVersion: null,
    appVersion: null,
    warrantyStart: '2024-01-31',
    warrantyEnd: '2026-01-31',
    warrantyTerms: null,
    warrantyProvider: null,
    insurancePolicyId: null,
    notes: null,
    version: 4,
    createdAt: clock.now(),
    updatedAt: clock.now(),
    ...overrides,
  });
}

function setup() {
  const repository = {
    findBySerial: jest.fn().mockResolvedValue(null),
    findById: jest.fn().mockResolvedValue(newTerminal()),
    insertMany: jest.fn(async (_tx: Tx, rows: Omit<TerminalEntity, 'id'>[]) => rows.map((fields, index) => Object.assign(new TerminalEntity(), fields, { id: 42 + index }))),
  };
  const catalog = {
    getModel: jest.fn().mockResolvedValue({ id: 1, category: 'smart', defaultWarrantyMonths: 24 }),
    getSupplier: jest.fn().mockResolvedValue({ id: 1 }),
  };
  const regions = {
    getRegion: jest.fn().mockResolvedValue({ id: 3, code: 'BJHD', path: '/1/3/' }),
    getMerchant: jest.fn(),
    nextSequence: jest.fn().mockResolvedValue(17),
  };
  const policies = { getPolicy: jest.fn() };
  const audit = { record: jest.fn(), list: jest.fn() };
  const committed: (() => void)[] = [];
  const transactions = { run: jest.fn((work: (t: Tx) => Promise<unknown>) => work(tx)), afterCommit: jest.fn((_tx: Tx, hook: () => void) => committed.push(hook)) };
  const events = { emit: jest.fn() };
  const config = { assetPrefix: 'POS', assetSequenceWidth: 6 } as AppConfig;
  const service = new TerminalsService(
    repository as never,
    catalog as never,
    regions as never,
    policies as never,
    audit as never,
    transactions as never,
    clock,
    config,
    events as never,
  );
  return { service, repository, regions, audit, committed, events };
}

const request = (overrides: Partial<CreateTerminalDto> = {}): CreateTerminalDto =>
  ({ serialNumber: 'SN-NEW', modelId: 1, supplierId: 1, regionId: 3, purchaseDate: '2025-01-31', ...overrides }) as CreateTerminalDto;

describe(TerminalsService.name, () => {
  it('should announce changed terminals only after the commit', async () => {
    const { service, committed, events } = setup();
    await service.create({ id: 1, username: 'alice' }, request());
    expect(events.emit).not.toHaveBeenCalled();
    committed.forEach((hook) => hook());
    expect(events.emit).toHaveBeenCalledWith('terminals.changed', { ids: [42] });
  });

  it('should number a new terminal from its region code and the region sequence, and audit it', async () => {
    const { service, repository, regions, audit } = setup();
    const fields = await service.prepareNew(request());
    const created = await service.insertNew(tx, { id: 9, username: 'wang' }, fields, 'create');
    expect(regions.nextSequence).toHaveBeenCalledWith(tx, 3, 1);
    expect(created.assetNumber).toBe('POS-BJHD-000017');
    expect(repository.insertMany).toHaveBeenCalledWith(tx, [expect.objectContaining({ status: 'in_stock', category: 'smart', warrantyEnd: '2027-01-31' })]);
    expect(audit.record).toHaveBeenCalledWith(tx, { id: 9, username: 'wang' }, [expect.objectContaining({ action: 'create', entityLabel: 'POS-BJHD-000017' })]);
  });

  it('should number a batch with one sequence bump per region, in order', async () => {
    const { service, regions } = setup();
    const fields = await service.prepareNew(request());
    const created = await service.insertMany(tx, { id: 9, username: 'wang' }, [fields, { ...fields, serialNumber: 'SN-2' }, { ...fields, serialNumber: 'SN-3' }], 'import');
    expect(regions.nextSequence).toHaveBeenCalledTimes(1);
    expect(regions.nextSequence).toHaveBeenCalledWith(tx, 3, 3);
    expect(created.map((t) => t.assetNumber)).toEqual(['POS-BJHD-000017', 'POS-BJHD-000018', 'POS-BJHD-000019']);
  });

  it('should refuse a serial number another terminal has', async () => {
    const { service, repository } = setup();
    repository.findBySerial.mockResolvedValue(newTerminal());
    await expect(service.prepareNew(request())).rejects.toMatchObject({ code: 'DUPLICATE_SERIAL_NUMBER' });
  });

  it('should refuse a purchase date in the future and a warranty ending before it starts', async () => {
    const { service } = setup();
    await expect(service.prepareNew(request({ purchaseDate: '2026-11-23' }))).rejects.toMatchObject({ details: { fields: [{ field: 'purchaseDate' }] } });
    await expect(service.prepareNew(request({ warrantyStart: '2025-01-01', warrantyEnd: '2024-12-31' }))).rejects.toMatchObject({ details: { fields: [{ field: 'warrantyEnd' }] } });
  });

  it('should refuse an invalid lifecycle move without writing', async () => {
    const { service, audit } = setup();
    await expect(service.transition({ id: 1, username: 'a', role: 'admin', sessionId: 1 }, 1, 'disposed', 4)).rejects.toMatchObject({
      code: 'TERMINAL_INVALID_TRANSITION',
    });
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should refuse a stale version before writing', async () => {
    const { service, audit } = setup();
    await expect(service.applyUpdate(tx, { id: 1, username: 'a' }, newTerminal(), 3, { custodian: 'x' }, 'update')).rejects.toBeInstanceOf(DomainException);
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should refuse to delete a deployed terminal', async () => {
    const { service } = setup();
    await expect(service.remove({ id: 1, username: 'a', role: 'admin', sessionId: 1 }, 1)).rejects.toMatchObject({ code: 'RECORD_IN_USE' });
  });
});

describe(defaultWarranty.name, () => {
  it.each([
    [24, '2025-01-31', undefined, undefined, { warrantyStart: '2025-01-31', warrantyEnd: '2027-01-31' }],
    [12, null, undefined, undefined, { warrantyStart: null, warrantyEnd: null }],
    [0, '2025-01-31', undefined, undefined, { warrantyStart: '2025-01-31', warrantyEnd: null }],
    [24, '2025-01-31', '2025-03-01', undefined, { warrantyStart: '2025-03-01', warrantyEnd: '2027-03-01' }],
    [24, '2025-01-31', undefined, '2025-12-31', { warrantyStart: '2025-01-31', warrantyEnd: '2025-12-31' }],
    [24, '2025-01-31', null, null, { warrantyStart: null, warrantyEnd: null }],
  ])('should give %i months from purchase %p, start %p, end %p → %j', (months, purchase, start, end, expected) => {
    expect(defaultWarranty({ defaultWarrantyMonths: months }, purchase, start, end)).toEqual(expected);
  });
});
