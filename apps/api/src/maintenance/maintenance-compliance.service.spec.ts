import { modelCompliance, versionStanding } from './maintenance-compliance.service';

describe(versionStanding.name, () => {
  it.each<[string | null, string | null, string]>([
    ['2.1.0', '2.1.0', 'on_target'],
    ['2.10.0', '2.9.3', 'on_target'],
    ['2.9.3', '2.10.0', 'behind'],
    [null, '2.10.0', 'unknown'],
    [null, null, 'on_target'],
    ['1.0', null, 'on_target'],
  ])('should place %s against target %s as %s', (version, target, standing) => {
    expect(versionStanding(version, target)).toBe(standing);
  });
});

describe(modelCompliance.name, () => {
  const groups = [
    { modelId: 1, firmwareVersion: '3.2', appVersion: '5.0', count: 70 },
    { modelId: 1, firmwareVersion: '3.1', appVersion: '5.0', count: 20 },
    { modelId: 1, firmwareVersion: '3.2', appVersion: null, count: 6 },
    { modelId: 1, firmwareVersion: null, appVersion: '4.9', count: 4 },
  ];

  it('should count a terminal behind when either version is behind, unknown when a targeted one is missing', () => {
    expect(modelCompliance(groups, { firmware: '3.2', app: '5.0' })).toEqual({
      targetFirmwareVersion: '3.2',
      targetAppVersion: '5.0',
      deployed: 100,
      onTarget: 70,
      behind: 24,
      unknown: 6,
      share: 0.7,
    });
  });

  it('should give no share to a model without targets', () => {
    expect(modelCompliance(groups, { firmware: null, app: null })).toMatchObject({ deployed: 100, onTarget: 100, behind: 0, share: null });
  });
});
