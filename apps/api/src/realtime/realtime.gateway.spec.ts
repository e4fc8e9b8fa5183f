import { HEALTH_STATES, maskToReasons } from '@fleet/shared';
import type { HealthChange } from '../heartbeats/health.events';
import { handshakeToken, packChange, unpackChange } from './realtime.gateway';

describe('realtime gateway', () => {
  it.each(HEALTH_STATES.flatMap((from) => HEALTH_STATES.map((to) => [from, to] as const)))('carries a change %s → %s between instances unchanged', (from, to) => {
    const change: HealthChange = { terminalId: 123_456, regionId: 7, modelId: 3, supplierId: 2, from, to, reasons: maskToReasons(0b101), at: Date.UTC(2026, 11, 1, 8), monitored: to !== 'unknown' };
    const packed = packChange(change);
    expect(packed).toHaveLength(9);
    expect(unpackChange(JSON.parse(JSON.stringify(packed)))).toEqual(change);
  });

  it.each([
    ['auth token', { auth: { token: 'a'.repeat(43) }, headers: {} }, 'a'.repeat(43)],
    ['session cookie', { headers: { cookie: `other=1; fleet_session=${'b'.repeat(43)}` } }, 'b'.repeat(43)],
    ['nothing', { headers: {} }, null],
    ['a token of the wrong shape', { auth: { token: 'x y' }, headers: { cookie: 'fleet_session=%3Cscript%3E' } }, null],
  ])('reads the session from the %s', (_case, handshake, expected) => {
    expect(handshakeToken(handshake)).toBe(expected);
  });
});
