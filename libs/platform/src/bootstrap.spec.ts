import type { INestApplication } from '@nestjs/common';
import { stopService } from './bootstrap';

describe('stopService (a graceful stop)', () => {
  it('stops the consumers before it closes the app, and says what each step took', async () => {
    const steps: string[] = [];
    const lines: string[] = [];
    const app = {
      get: () => ({ log: (line: string) => lines.push(line) }),
      close: async () => {
        steps.push('app closed');
      },
    } as unknown as INestApplication;
    await stopService({ name: 'probe', title: 'Probe', description: '' }, app, 'SIGTERM', async () => {
      steps.push('consumers stopped');
    });
    expect(steps).toEqual(['consumers stopped', 'app closed']);
    expect(lines[0]).toBe('probe: SIGTERM received, stopping');
    expect(lines[1]).toMatch(
      /^probe stopped; stop: consumer stopped and left its group \+\d+ ms \(\d+ ms CPU\), app closed \+\d+ ms \(\d+ ms CPU\); \d+ ms in all, \d+ ms of CPU$/,
    );
  });

  it('closes the app when the service has no consumers', async () => {
    const close = jest.fn(async () => undefined);
    const app = { get: () => ({ log: () => undefined }), close } as unknown as INestApplication;
    await stopService({ name: 'probe', title: 'Probe', description: '' }, app, 'SIGINT');
    expect(close).toHaveBeenCalledTimes(1);
  });
});
