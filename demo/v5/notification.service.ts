/**
 * The V5 notification service: POST /notifications sends the mail over SMTP (nodemailer,
 * pooled like notification-service: 4 connections, no Nagle delay) and answers once the
 * SMTP server accepted it. Nothing is recorded: a mail the service never got is lost.
 */
import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { answer, readJson, serve } from './v5-http';

const smtp = new URL(process.env.SMTP_URL!);
const transporter = nodemailer.createTransport({
  host: smtp.hostname,
  port: Number(smtp.port),
  pool: true,
  maxConnections: 4,
  getSocket: (_options: unknown, done: (err: Error | null, socket?: { connection: unknown }) => void) => {
    const socket = connect({ host: smtp.hostname, port: Number(smtp.port), noDelay: true });
    socket.once('error', done);
    socket.once('connect', () => done(null, { connection: socket }));
  },
} as SMTPPool.Options);

const SUBJECTS: Record<string, (title: string) => [string, string]> = {
  'todo.created': (title) => ['Todo Created', `Your todo '${title}' has been created.`],
  'todo.completed': (title) => ['Todo Completed', `Your todo '${title}' has been completed!`],
};

serve(
  'v5-notification',
  async (req, res, requestId) => {
    if (req.method === 'GET' && req.url === '/health/ready') return answer(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/notifications') return answer(res, 404, { code: 'NOT_FOUND' });
    const fact = await readJson(req);
    const template = SUBJECTS[String(fact.event)];
    if (!template) return answer(res, 400, { code: 'UNKNOWN_EVENT' });
    const [subject, text] = template(String(fact.title));
    try {
      await transporter.sendMail({
        from: 'Todo Platform V5 <no-reply@todo.local>',
        to: String(fact.to),
        subject,
        text,
        headers: requestId ? { 'X-Correlation-Id': requestId } : {},
      });
    } catch (error) {
      return answer(res, 503, { code: 'SMTP_FAILED', message: (error as Error).message });
    }
    answer(res, 204);
  },
  async () => transporter.close(),
);
