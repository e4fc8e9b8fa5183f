/**
 * Which URLs a webhook may point at: http or https with a host, no
 * credentials in the URL (the signature authenticates), at most 2000
 * characters. Private and loopback addresses are allowed on purpose: a bank's
 * receivers are on its internal network, and only administrators holding
 * alerts:configure can set an endpoint.
 */
import { WEBHOOK_URL_MAX_LENGTH } from '@fleet/shared';

/** Why `url` cannot be a webhook endpoint, or null when it can. */
export function webhookUrlProblem(url: string): string | null {
  if (url.length > WEBHOOK_URL_MAX_LENGTH) return `url must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`;
  // The URL parser silently drops tabs and line breaks; refuse them instead of storing something else than what was shown.
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return 'url must not contain spaces or control characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an absolute http or https URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'url must use http or https';
  // The parser would read "http:host" or "http:///host" as having a host; require it written after "//".
  if (!/^https?:\/\/[^/\\?#]/i.test(url) || parsed.hostname === '') return 'url must name a host';
  if (parsed.username !== '' || parsed.password !== '') return 'url must not contain a username or password';
  return null;
}
