import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { startSmtpServer } from '../../../../../test/support/smtp';
import { EmlFileMailSender, OutgoingMail, SmtpMailSender } from './mail-sender';

const mail: OutgoingMail = {
  from: 'Todo Platform <no-reply@todo.local>',
  to: 'demo@example.com',
  subject: 'Todo Completed',
  text: "Your todo '测试事件驱动' has been completed!",
  messageId: '<0b1c2d3e-0000-4000-8000-000000000001@todo-platform.local>',
  headers: { 'X-Correlation-Id': 'req-1' },
};

describe('mail senders', () => {
  it('without SMTP, writes each mail as an .eml file a mail client opens, and says where', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mail-'));
    try {
      const sender = new EmlFileMailSender(directory);
      const path = await sender.send(mail);
      sender.close();

      expect(path.startsWith(directory)).toBe(true);
      const parsed = await simpleParser(await readFile(path));
      expect(parsed.subject).toBe('Todo Completed');
      expect(parsed.text?.trim()).toBe(mail.text);
      expect(parsed.messageId).toBe(mail.messageId);
      expect(parsed.headers.get('x-correlation-id')).toBe('req-1');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('with SMTP, hands the mail to the server with its stable Message-ID', async () => {
    const smtp = await startSmtpServer();
    try {
      const sender = new SmtpMailSender(smtp.url);
      await sender.send(mail);
      sender.close();

      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0].envelopeTo).toEqual(['demo@example.com']);
      expect(smtp.mails[0].parsed.messageId).toBe(mail.messageId);
    } finally {
      await smtp.close();
    }
  });
});
