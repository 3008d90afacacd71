import { Controller, Get, HttpCode, HttpStatus, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from './auth';
import { DomainError, PlatformError } from './errors';

export type Probe = () => Promise<unknown>;

/** Dependencies whose answer makes the service ready. Modules register theirs when they start. */
@Injectable()
export class ReadinessProbes {
  private readonly probes = new Map<string, Probe>();

  constructor(dataSource: DataSource) {
    this.register('database', () => dataSource.query('SELECT 1'));
  }

  register(name: string, probe: Probe): void {
    this.probes.set(name, probe);
  }

  async check(timeoutMs = 3000): Promise<Record<string, { ok: boolean; error?: string }>> {
    const entries = await Promise.all(
      [...this.probes].map(async ([name, probe]) => {
        try {
          await Promise.race([
            probe(),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref()),
          ]);
          return [name, { ok: true }] as const;
        } catch (error) {
          return [name, { ok: false, error: (error as Error).message }] as const;
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly probes: ReadinessProbes) {}

  /** Ready: the database and Kafka answer. 503 otherwise, naming what does not. */
  @Get()
  async ready() {
    const checks = await this.probes.check();
    const ok = Object.values(checks).every((check) => check.ok);
    if (!ok) {
      const failing = Object.entries(checks).filter(([, check]) => !check.ok);
      throw new DomainError(
        PlatformError.NOT_READY,
        `not ready: ${failing.map(([name, check]) => `${name}: ${check.error}`).join('; ')}`,
        HttpStatus.SERVICE_UNAVAILABLE,
        { checks },
      );
    }
    return { status: 'ok', checks };
  }

  /** Live: the process answers. */
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }
}
