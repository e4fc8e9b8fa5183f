import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEventBody } from '@fleet/shared';
import { WebhookSender } from './webhook-sender';

const NOW = new Date('2026-11-22T08:00:00Z');
const MESSAGE: WebhookEventBody = { id: 42, event: 'alert.raised', occurredAt: '2026-11-22T07:59:58.000Z', payload: { alertId: 7, severity: 'critical' } };

describe(WebhookSender.name, () => {
  let server: Server;
  let base: string;
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    // A receiver on 127.0.0.1 whose path says what it answers: /status/<code>.
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ path: request.url ?? '', headers: request.headers, body });
        const status = Number(/^\/status\/(\d{3})/.exec(request.url ?? '')?.[1] ?? 200);
        response.writeHead(status, status === 302 ? { Location: '/elsewhere' } : {}).end('ignored');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => void (received.length = 0));

  it('should POST the event as JSON with its headers and a signature the secret verifies', async () => {
    await new WebhookSender().send({ url: `${base}/status/204`, secret: 'shh' }, MESSAGE, NOW);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(JSON.parse(request!.body)).toEqual(MESSAGE);
    expect(request!.headers).toMatchObject({ 'content-type': 'application/json', 'x-fleet-event': 'alert.raised', 'x-fleet-delivery': '42', 'x-fleet-timestamp': '1795334400' });
    const expected = createHmac('sha256', 'shh').update(`1795334400.${request!.body}`).digest('hex');
    expect(request!.headers['x-fleet-signature']).toBe(`sha256=${expected}`);
  });

  it('should fail on an answer outside 2xx, naming the status', async () => {
    await expect(new WebhookSender().send({ url: `${base}/status/500`, secret: 'shh' }, MESSAGE, NOW)).rejects.toThrow('HTTP 500 Internal Server Error');
  });

  it('should fail on a redirect without following it', async () => {
    await expect(new WebhookSender().send({ url: `${base}/status/302`, secret: 'shh' }, MESSAGE, NOW)).rejects.toThrow('HTTP 302 Found');
    expect(received.map((r) => r.path)).toEqual(['/status/302']);
  });

  it('should explain a port the HTTP client refuses', async () => {
    await expect(new WebhookSender().send({ url: 'http://127.0.0.1:6000/', secret: 'shh' }, MESSAGE, NOW)).rejects.toThrow('The port is reserved for another protocol');
  });

  it('should fail with the network error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(new WebhookSender().send({ url: `http://127.0.0.1:${port}/`, secret: 'shh' }, MESSAGE, NOW)).rejects.toThrow(/ECONNREFUSED/);
  });
});
