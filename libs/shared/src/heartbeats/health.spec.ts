import { DEFAULT_HEALTH_POLICY, type DegradedReason, type HealthPolicyValues } from './heartbeats.contracts';
import { compareVersions, degradedReasons, effectivePolicy, maskToReasons, reasonsToMask, stateFromReasons, type HealthSample } from './health';

const policy: HealthPolicyValues = { ...DEFAULT_HEALTH_POLICY, targetFirmwareVersion: '2.4.0', targetAppVersion: null };
const healthy: HealthSample = { batteryPct: 80, charging: false, signalDbm: -70, network: '4g', printer: 'ok', temperatureC: 35, firmwareVersion: '2.4.0', errorCodes: [] };

describe('degradedReasons', () => {
  const cases: [string, HealthSample, number, number, DegradedReason[]][] = [
    ['healthy', healthy, 0, 0, []],
    ['battery below the threshold', { ...healthy, batteryPct: 14 }, 0, 0, ['low_battery']],
    ['battery at the threshold is not low', { ...healthy, batteryPct: 15 }, 0, 0, []],
    ['low battery while charging is not a problem', { ...healthy, batteryPct: 5, charging: true }, 0, 0, []],
    ['low battery clears only above threshold + 5', { ...healthy, batteryPct: 18 }, reasonsToMask(['low_battery']), 0, ['low_battery']],
    ['low battery cleared at threshold + 5', { ...healthy, batteryPct: 20 }, reasonsToMask(['low_battery']), 0, []],
    ['no battery reported (desktop)', { ...healthy, batteryPct: null }, 0, 0, []],
    ['weak 4G signal', { ...healthy, signalDbm: -110 }, 0, 0, ['weak_signal']],
    ['signal is not judged on ethernet', { ...healthy, signalDbm: -120, network: 'ethernet' }, 0, 0, []],
    ['weak signal holds until 5 dB better', { ...healthy, signalDbm: -101 }, reasonsToMask(['weak_signal']), 0, ['weak_signal']],
    ['paper out', { ...healthy, printer: 'paper_out' }, 0, 0, ['paper_out']],
    ['paper low is still fine', { ...healthy, printer: 'paper_low' }, 0, 0, []],
    ['printer fault', { ...healthy, printer: 'fault' }, 0, 0, ['printer_fault']],
    ['overheating', { ...healthy, temperatureC: 61 }, 0, 0, ['overheating']],
    ['overheating holds until 5 °C cooler', { ...healthy, temperatureC: 57 }, reasonsToMask(['overheating']), 0, ['overheating']],
    ['overheating clears', { ...healthy, temperatureC: 54 }, reasonsToMask(['overheating']), 0, []],
    ['errors below the repeat count', { ...healthy, errorCodes: ['E101'] }, 0, 2, []],
    ['errors at the repeat count', { ...healthy, errorCodes: ['E101'] }, 0, 3, ['repeated_errors']],
    ['a clean heartbeat ends repeated errors', { ...healthy, errorCodes: [] }, reasonsToMask(['repeated_errors']), 0, []],
    ['firmware behind the target', { ...healthy, firmwareVersion: '2.3.9' }, 0, 0, ['version_behind']],
    ['firmware ahead of the target', { ...healthy, firmwareVersion: '2.10.0' }, 0, 0, []],
    ['several at once, in a fixed order', { ...healthy, batteryPct: 3, printer: 'paper_out', temperatureC: 70 }, 0, 0, ['low_battery', 'paper_out', 'overheating']],
  ];
  it.each(cases)('%s', (_name, sample, previous, streak, expected) => {
    expect(degradedReasons(sample, policy, previous, streak)).toEqual(expected);
  });

  it('checks nothing a policy leaves out', () => {
    const lax: HealthPolicyValues = { ...policy, batteryLowPct: null, signalWeakDbm: null, temperatureHighC: null, errorRepeatCount: null, targetFirmwareVersion: null };
    expect(degradedReasons({ ...healthy, batteryPct: 1, signalDbm: -139, temperatureC: 120, errorCodes: ['E1'], firmwareVersion: '0.1' }, lax, 0, 99)).toEqual([]);
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.0.0', '1.0.0', 0],
    ['1.9.2', '1.10.0', -1],
    ['2.0', '1.99.99', 1],
    ['1.0', '1.0.0', 0],
    ['1.0.0-beta', '1.0.0-rc', -1],
    ['V2.1', 'V2.1', 0],
  ])('%s vs %s', (a, b, expected) => expect(compareVersions(a, b)).toBe(expected));
});

describe('reason masks', () => {
  it('round-trips every combination in order', () => {
    expect(maskToReasons(reasonsToMask(['version_behind', 'low_battery']))).toEqual(['low_battery', 'version_behind']);
    expect(maskToReasons(0)).toEqual([]);
  });

  it('names the state', () => {
    expect(stateFromReasons([])).toBe('online');
    expect(stateFromReasons(['paper_out'])).toBe('degraded');
  });
});

describe('effectivePolicy', () => {
  it('layers a terminal override on its model on the defaults', () => {
    const result = effectivePolicy(DEFAULT_HEALTH_POLICY, { offlineAfterSeconds: 300, batteryLowPct: 20 }, { batteryLowPct: 30, signalWeakDbm: null });
    expect(result).toEqual({ ...DEFAULT_HEALTH_POLICY, offlineAfterSeconds: 300, batteryLowPct: 30 });
  });
});
