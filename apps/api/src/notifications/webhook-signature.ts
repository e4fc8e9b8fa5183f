/**
 * Webhook signatures: `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
 * with the endpoint's secret. The timestamp is signed too, so a receiver that
 * refuses requests older than a few minutes cannot be fed a replayed one.
 */
import { createHmac } from 'node:crypto';

export function signWebhook(secret: string, timestampSeconds: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex')}`;
}
