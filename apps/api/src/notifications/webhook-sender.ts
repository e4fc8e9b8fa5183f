/**
 * Webhook requests: the JSON body `{ id, event, occurredAt, payload }` POSTed
 * with the X-Fleet-* headers and the signature. A 2xx answer within 10 s is a
 * success; anything else (another status, a redirect, which is not followed,
 * a timeout, a network error) fails the attempt with a short reason.
 */
import { Injectable } from '@nestjs/common';
import { WEBHOOK_HEADERS, type WebhookEventBody } from '@fleet/shared';
import { signWebhook } from './webhook-signature';

const TIMEOUT_MS = 10_000;

@Injectable()
export class WebhookSender {
  async send(endpoint: { url: string; secret: string }, message: WebhookEventBody, now: Date): Promise<void> {
    const body = JSON.stringify(message);
    const timestamp = Math.floor(now.getTime() / 1000);
    let response: Response;
    try {
      response = await fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Fleet-Webhooks/1',
          [WEBHOOK_HEADERS.event]: message.event,
          [WEBHOOK_HEADERS.delivery]: String(message.id),
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(endpoint.secret, timestamp, body),
        },
        body,
      });
    } catch (error) {
      throw new Error(describeFailure(error));
    }
    // The answer's body is not needed; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
}

function describeFailure(error: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (e.g. under jest), where instanceof Error fails.
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return `No answer within ${TIMEOUT_MS / 1000} s`;
  // fetch refuses the ports the Fetch standard reserves for other protocols (e.g. 25, 6000, 10080).
  if (cause?.message === 'bad port') return 'The port is reserved for another protocol and refused by the HTTP client; use another port';
  // fetch reports network errors as "fetch failed" with the reason in `cause`.
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  return message ?? String(error);
}
