import { mkdir, writeFile } from 'node:fs/promises';
import { Socket, connect } from 'node:net';
import { join, resolve } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

const CONNECT_TIMEOUT_MS = 10_000;

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
      connectionTimeout: CONNECT_TIMEOUT_MS,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      // Our own socket, without Nagle: SMTP's short command lines would otherwise each
      // wait for the server's delayed ACK (about 40 ms per mail per connection).
      getSocket: (_options: unknown, done: (err: Error | null, socket?: { connection: Socket }) => void) => {
        const socket = connect({ host: url.hostname, port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)), noDelay: true });
        const fail = (err: Error) => {
          clearTimeout(timer);
          socket.destroy();
          done(err);
        };
        const timer = setTimeout(() => fail(new Error('SMTP connection timeout')), CONNECT_TIMEOUT_MS);
        socket.once('error', fail);
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.off('error', fail);
          done(null, { connection: socket });
        });
      },
    } as SMTPPool.Options);
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
