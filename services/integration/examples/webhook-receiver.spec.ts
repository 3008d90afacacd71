import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the webhook receiver example', () => {
  it('is the code the README shows, character for character (the end-to-end test runs it)', () => {
    const root = join(__dirname, '..', '..', '..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const code = readFileSync(join(__dirname, 'webhook-receiver.ts'), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${code}\`\`\``);
  });
});
