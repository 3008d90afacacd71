import type { INestApplication } from '@nestjs/common';
import { SLOW_STOP_MS, stopService } from './bootstrap';

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

  it('warns when the stop took a second or more, naming the step that held it', async () => {
    const warnings: string[] = [];
    const app = {
      get: () => ({ log: () => undefined, warn: (line: string) => warnings.push(line) }),
      close: () => new Promise((resolve) => setTimeout(resolve, SLOW_STOP_MS + 50)),
    } as unknown as INestApplication;
    await stopService({ name: 'probe', title: 'Probe', description: '' }, app, 'SIGTERM', async () => undefined);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^probe stopped slowly; stop: consumer stopped and left its group \+\d+ ms .*, app closed \+(\d{4,}) ms /);
  });

  it('closes the app when the service has no consumers', async () => {
    const close = jest.fn(async () => undefined);
    const app = { get: () => ({ log: () => undefined }), close } as unknown as INestApplication;
    await stopService({ name: 'probe', title: 'Probe', description: '' }, app, 'SIGINT');
    expect(close).toHaveBeenCalledTimes(1);
  });
});
