/**
 * Email over SMTP (nodemailer), configured by SMTP_URL and SMTP_FROM. Plain
 * text only. With SMTP_URL unset email is off: nothing is sent, and the
 * outbox does not queue email at all.
 */
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

@Injectable()
export class EmailSender implements OnApplicationShutdown {
  private readonly transport: Transporter | null;
  /** host:port of the SMTP server, for the log; never the credentials. */
  readonly server: string | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { smtpUrl, smtpFrom } = config.notifications;
    if (!smtpUrl) {
      this.transport = null;
      this.server = null;
      return;
    }
    const url = new URL(smtpUrl);
    this.server = `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
    // Bounded waits: a hung server fails the attempt (and it is retried) instead of holding the dispatcher.
    this.transport = createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }, { from: smtpFrom });
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(to: string, subject: string, text: string): Promise<void> {
    if (!this.transport) throw new Error('Email is off (SMTP_URL is not set)');
    // Auto-Submitted keeps out-of-office replies from answering an automatic message (RFC 3834).
    await this.transport.sendMail({ to, subject, text, headers: { 'Auto-Submitted': 'auto-generated' } });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
