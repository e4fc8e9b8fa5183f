/**
 * Local stand-ins for what notifications reach, on 127.0.0.1: an SMTP sink
 * that keeps every message, and an HTTP receiver that keeps every webhook
 * request (and can be told to fail). Plus the signature check a receiver does.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  user: string | undefined;
  from: string | undefined;
  to: string[];
  raw: string;
}

export interface Hook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SmtpSink {
  port: number;
  mails: Mail[];
  close(): Promise<void>;
}

export interface Receiver {
  url: string;
  hooks: Hook[];
  /** Answers still to fail per path, e.g. set('/flaky', 2). */
  failuresLeft: Map<string, number>;
  close(): Promise<void>;
}

/** Polls `probe` until it returns a value, a bounded number of times (never a time limit on the outcome). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, attempts = 150): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Still waiting for ${what}`);
}

/** An SMTP server that accepts any sender, or only `credentials` when given. */
export async function startSmtpSink(credentials?: { user: string; password: string }): Promise<SmtpSink> {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: !credentials,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({ user: session.user as string | undefined, from: from ? from.address : undefined, to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  return { port: (smtp.server.address() as AddressInfo).port, mails, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}

export async function startReceiver(): Promise<Receiver> {
  const hooks: Hook[] = [];
  const failuresLeft = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = request.url ?? '';
      hooks.push({ path, headers: request.headers, body });
      const left = failuresLeft.get(path) ?? 0;
      failuresLeft.set(path, left - 1);
      response.writeHead(left > 0 ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hooks, failuresLeft, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** What a receiver does: recompute the signature over "<timestamp>.<raw body>" and refuse anything older than 5 minutes. */
export function verifySignature(secret: string, hook: Hook): boolean {
  const timestamp = Number(hook.headers['x-fleet-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${hook.body}`).digest('hex')}`);
  const given = Buffer.from(String(hook.headers['x-fleet-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
