/**
 * Pure helpers of the notification settings: one subscription per channel
 * (a channel never set up starts off), values toggled in a list kept in the
 * vocabulary's order, and a webhook between its form and its request.
 */
import { ALERT_CHANNELS, type AlertSubscription, type CreateWebhookRequest, type WebhookResponse } from '@fleet/shared';

/** Every channel once, in ALERT_CHANNELS order: the user's setting, or the channel off, for every kind and region, from warnings up. */
export function subscriptionsByChannel(subscriptions: readonly AlertSubscription[]): AlertSubscription[] {
  return ALERT_CHANNELS.map(
    (channel) =>
      subscriptions.find((subscription) => subscription.channel === channel) ?? { channel, enabled: false, address: null, kinds: [], regionIds: [], minSeverity: 'warning' },
  );
}

/** What goes to the API: an address only for email, and then trimmed (an empty one as null, for the API to refuse if email is on). */
export function subscriptionRequest(subscription: AlertSubscription): AlertSubscription {
  const address = subscription.channel === 'email' ? subscription.address?.trim() || null : null;
  return { ...subscription, address, kinds: [...subscription.kinds], regionIds: [...subscription.regionIds] };
}

/** `value` added to or taken from `list`, the result in the order of `order`. */
export function toggled<T>(list: readonly T[], value: T, order: readonly T[]): T[] {
  const next = new Set(list);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return order.filter((item) => next.has(item));
}

export type WebhookForm = Required<CreateWebhookRequest>;

export function toWebhookForm(webhook: WebhookResponse | null): WebhookForm {
  return webhook
    ? { name: webhook.name, url: webhook.url, enabled: webhook.enabled, kinds: [...webhook.kinds], regionIds: [...webhook.regionIds], minSeverity: webhook.minSeverity }
    : { name: '', url: 'https://', enabled: true, kinds: [], regionIds: [], minSeverity: 'info' };
}

export function fromWebhookForm(form: WebhookForm): CreateWebhookRequest {
  return { ...form, name: form.name.trim(), url: form.url.trim(), kinds: [...form.kinds], regionIds: [...form.regionIds] };
}
