import { ALERT_RULE_KINDS, type WebhookResponse } from '@fleet/shared';
import { fromWebhookForm, subscriptionRequest, subscriptionsByChannel, toggled, toWebhookForm } from './notification-settings';

describe(subscriptionsByChannel.name, () => {
  it('should give every channel once, in order, a missing one switched off', () => {
    const dashboard = { channel: 'dashboard' as const, enabled: true, address: null, kinds: [], regionIds: [4], minSeverity: 'critical' as const };
    expect(subscriptionsByChannel([dashboard])).toEqual([{ channel: 'email', enabled: false, address: null, kinds: [], regionIds: [], minSeverity: 'warning' }, dashboard]);
  });

  it('should send an address only for email, trimmed, an empty one as null', () => {
    const email = { channel: 'email' as const, enabled: true, address: ' ops@bank.test ', kinds: [], regionIds: [], minSeverity: 'info' as const };
    expect(subscriptionRequest(email).address).toBe('ops@bank.test');
    expect(subscriptionRequest({ ...email, address: '  ' }).address).toBeNull();
    expect(subscriptionRequest({ ...email, channel: 'dashboard' }).address).toBeNull();
  });
});

describe(toggled.name, () => {
  it('should add or remove a value and keep the vocabulary order', () => {
    expect(toggled(['paper_out'], 'battery_low', ALERT_RULE_KINDS)).toEqual(['battery_low', 'paper_out']);
    expect(toggled(['battery_low', 'paper_out'], 'battery_low', ALERT_RULE_KINDS)).toEqual(['paper_out']);
  });
});

describe(fromWebhookForm.name, () => {
  it('should edit a webhook with its own values and send them trimmed', () => {
    const webhook: WebhookResponse = {
      id: 1,
      name: 'Ops',
      url: 'https://ops.bank.test/hook',
      enabled: false,
      kinds: ['battery_low'],
      regionIds: [3],
      minSeverity: 'warning',
      secretIssuedAt: '2025-06-15T08:00:00.000Z',
      version: 2,
      createdAt: '2025-06-15T08:00:00.000Z',
      updatedAt: '2025-06-15T08:00:00.000Z',
    };
    expect(fromWebhookForm({ ...toWebhookForm(webhook), name: ' Ops centre ' })).toEqual({ name: 'Ops centre', url: 'https://ops.bank.test/hook', enabled: false, kinds: ['battery_low'], regionIds: [3], minSeverity: 'warning' });
    expect(toWebhookForm(null)).toMatchObject({ enabled: true, kinds: [], regionIds: [], minSeverity: 'info' });
  });
});
