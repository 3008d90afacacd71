import { Controller, Get, HttpCode, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from './auth';
import { DependencyUnavailableError } from './errors';

export type Probe = () => Promise<unknown>;

/** Dependencies whose answer makes the service ready. Modules register theirs when they start. */
@Injectable()
export class ReadinessProbes {
  private readonly probes = new Map<string, Probe>();
  private readonly facts = new Map<string, () => unknown>();

  constructor(dataSource: DataSource) {
    this.register('database', () => dataSource.query('SELECT 1'));
  }

  register(name: string, probe: Probe): void {
    this.probes.set(name, probe);
  }

  /** A fact about the service's configuration shown under `details` in /health (not a readiness check). */
  describe(name: string, fact: () => unknown): void {
    this.facts.set(name, fact);
  }

  details(): Record<string, unknown> | undefined {
    if (this.facts.size === 0) return undefined;
    return Object.fromEntries([...this.facts].map(([name, fact]) => [name, fact()]));
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

  /**
   * Ready: the database and Kafka answer. 503 with Retry-After otherwise, naming what does not (`unavailable`, `checks`).
   * `details`: what the service's modules say about their configuration (e.g. the approval service's holds).
   */
  @Get()
  async ready() {
    const checks = await this.probes.check();
    const details = this.probes.details();
    const down = Object.entries(checks)
      .filter(([, check]) => !check.ok)
      .map(([name]) => name);
    if (down.length > 0)
      throw new DependencyUnavailableError(down, { status: 'unavailable', unavailable: down, checks, ...(details ? { details } : {}) });
    return { status: 'ok', checks, ...(details ? { details } : {}) };
  }

  /** Live: the process answers. */
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }
}
