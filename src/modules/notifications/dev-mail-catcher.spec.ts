import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { startDevMailCatcher } from './dev-mail-catcher';

describe('dev mail catcher', () => {
  it('accepts mail on loopback and writes it to a .eml file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailcatch-'));
    const catcher = await startDevMailCatcher({ dir });
    try {
      const transport = createTransport({ url: catcher.url });
      await transport.sendMail({ from: 'a@localhost', to: 'b@example.test', subject: 'Hello catcher', text: 'body' });
      transport.close();
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      expect(readFileSync(join(dir, files[0]), 'utf8')).toContain('Subject: Hello catcher');
    } finally {
      await catcher.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
