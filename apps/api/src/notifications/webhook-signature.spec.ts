import { signWebhook } from './webhook-signature';

describe('signWebhook', () => {
  const body = '{"id":1,"event":"test","occurredAt":"2026-11-22T08:00:00.000Z","payload":{}}';

  it('should sign "<timestamp>.<raw body>" with HMAC-SHA256 of the secret, as hex', () => {
    // Computed independently: printf '%s' '1700000000.<body>' | openssl dgst -sha256 -hmac 'whsec-test-secret'
    expect(signWebhook('whsec-test-secret', 1_700_000_000, body)).toBe('sha256=203727a48dafbac33215d1123caad659228c944c94d0cba3149dae8084a61404');
  });

  it('should change with the timestamp, the body and the secret', () => {
    const signature = signWebhook('whsec-test-secret', 1_700_000_000, body);
    expect(signWebhook('whsec-test-secret', 1_700_000_001, body)).not.toBe(signature);
    expect(signWebhook('whsec-test-secret', 1_700_000_000, body.replace('test', 'tesT'))).not.toBe(signature);
    expect(signWebhook('another-secret', 1_700_000_000, body)).not.toBe(signature);
  });
});
