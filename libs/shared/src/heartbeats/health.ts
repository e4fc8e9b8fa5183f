/**
 * Health derivation: from a heartbeat and the policy it is judged by, the
 * reasons a terminal is degraded. Pure, so it is tested as a table and the
 * dashboard can explain a state with the same rules.
 */
import { DEGRADED_REASONS, type DegradedReason, type HealthPolicyValues, type HealthState, type HeartbeatRequest, type NetworkType } from './heartbeats.contracts';

/** The part of a heartbeat health is judged on. */
export type HealthSample = Pick<HeartbeatRequest, 'batteryPct' | 'charging' | 'signalDbm' | 'network' | 'printer' | 'temperatureC' | 'firmwareVersion' | 'appVersion' | 'errorCodes'>;

/**
 * A reason, once raised, clears only this far on the good side of its
 * threshold, so a value hovering at the line does not flap the state.
 */
export const HYSTERESIS = { batteryPct: 5, signalDbm: 5, temperatureC: 5 } as const;

const WIRELESS: readonly (NetworkType | null | undefined)[] = ['wifi', '2g', '3g', '4g', '5g'];

/** Bit per reason, in DEGRADED_REASONS order: the compact form kept in memory and stored. */
export function reasonsToMask(reasons: readonly DegradedReason[]): number {
  let mask = 0;
  for (const reason of reasons) mask |= 1 << DEGRADED_REASONS.indexOf(reason);
  return mask;
}

export function maskToReasons(mask: number): DegradedReason[] {
  return DEGRADED_REASONS.filter((_, bit) => (mask & (1 << bit)) !== 0);
}

/**
 * Compares dotted versions numerically part by part ("1.10.0" > "1.9.2");
 * a part that is not a number compares as text. Negative when a < b.
 */
export function compareVersions(a: string, b: string): number {
  const left = a.split(/[.+-]/);
  const right = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? '0';
    const y = right[i] ?? '0';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const diff = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return 0;
}

function raised(previous: number, reason: DegradedReason): boolean {
  return (previous & (1 << DEGRADED_REASONS.indexOf(reason))) !== 0;
}

/**
 * The degraded reasons of a sample. `previous` is the mask before this
 * heartbeat (for hysteresis); `errorStreak` counts heartbeats in a row,
 * this one included, that carried error codes.
 */
export function degradedReasons(sample: HealthSample, policy: HealthPolicyValues, previous: number, errorStreak: number): DegradedReason[] {
  const reasons: DegradedReason[] = [];
  const battery = sample.batteryPct;
  if (policy.batteryLowPct !== null && battery !== null && battery !== undefined && sample.charging !== true) {
    const limit = raised(previous, 'low_battery') ? policy.batteryLowPct + HYSTERESIS.batteryPct : policy.batteryLowPct;
    if (battery < limit) reasons.push('low_battery');
  }
  const signal = sample.signalDbm;
  if (policy.signalWeakDbm !== null && signal !== null && signal !== undefined && WIRELESS.includes(sample.network)) {
    const limit = raised(previous, 'weak_signal') ? policy.signalWeakDbm + HYSTERESIS.signalDbm : policy.signalWeakDbm;
    if (signal < limit) reasons.push('weak_signal');
  }
  if (sample.printer === 'paper_out') reasons.push('paper_out');
  if (sample.printer === 'fault') reasons.push('printer_fault');
  const temperature = sample.temperatureC;
  if (policy.temperatureHighC !== null && temperature !== null && temperature !== undefined) {
    const limit = raised(previous, 'overheating') ? policy.temperatureHighC - HYSTERESIS.temperatureC : policy.temperatureHighC;
    if (temperature > limit) reasons.push('overheating');
  }
  if (policy.errorRepeatCount !== null && (sample.errorCodes?.length ?? 0) > 0 && errorStreak >= policy.errorRepeatCount) {
    reasons.push('repeated_errors');
  }
  if (versionBehind(sample.firmwareVersion, policy.targetFirmwareVersion) || versionBehind(sample.appVersion, policy.targetAppVersion)) {
    reasons.push('version_behind');
  }
  return reasons;
}

function versionBehind(reported: string | null | undefined, target: string | null): boolean {
  return target !== null && reported !== null && reported !== undefined && compareVersions(reported, target) < 0;
}

export function stateFromReasons(reasons: readonly DegradedReason[] | number): HealthState {
  const count = typeof reasons === 'number' ? reasons : reasons.length;
  return count === 0 ? 'online' : 'degraded';
}

/** A per-terminal override on top of its model's policy on top of the defaults. */
export function effectivePolicy(
  defaults: HealthPolicyValues,
  model: Partial<HealthPolicyValues> | undefined,
  terminal: Partial<HealthPolicyValues> | undefined,
): HealthPolicyValues {
  const result = { ...defaults };
  for (const layer of [model, terminal]) {
    if (!layer) continue;
    for (const key of Object.keys(result) as (keyof HealthPolicyValues)[]) {
      const value = layer[key];
      if (value !== undefined && value !== null) (result as Record<string, unknown>)[key] = value;
    }
  }
  return result;
}
