import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

/** Where mails go. The dispatcher depends on this port, not on nodemailer. */
export abstract class MailSender {
  /** Resolves once the mail is handed over; returns where it went, for the log. */
  abstract send(mail: OutgoingMail): Promise<string>;
  abstract close(): void;
}

/** Real delivery through an SMTP server (Mailpit in compose, any relay in production). */
export class SmtpMailSender extends MailSender {
  private readonly transporter: Transporter;

  constructor(smtpUrl: string, maxConnections = 4) {
    super();
    // Pooled: a handshake per mail would make mail the slowest step of the flow. Bounded,
    // so a stuck SMTP server cannot hold a send (and its claim) forever.
    const url = new URL(smtpUrl);
    this.transporter = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      pool: true,
      maxConnections,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(mail: OutgoingMail): Promise<string> {
    const info = await this.transporter.sendMail(mail);
    return `smtp:${info.response}`;
  }

  close(): void {
    this.transporter.close();
  }
}

/** Local development without SMTP: each mail becomes an .eml file you can open. */
export class EmlFileMailSender extends MailSender {
  private readonly transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  private readonly directory: string;

  constructor(directory: string) {
    super();
    this.directory = resolve(directory);
  }

  async send(mail: OutgoingMail): Promise<string> {
    const info = await this.transporter.sendMail(mail);
    await mkdir(this.directory, { recursive: true });
    const path = join(this.directory, `${mail.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9.@-]/g, '_')}.eml`);
    await writeFile(path, info.message as Buffer);
    return path;
  }

  close(): void {
    this.transporter.close();
  }
}
