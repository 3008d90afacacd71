import { createHash } from 'node:crypto';
import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { API_KEY_HEADER } from './auth';
import type { BaseServiceConfig } from './config';

const UNMETERED = new Set(['/health', '/health/live', '/metrics']);

/** Per-client request budget: RATE_LIMIT_PER_MINUTE per API key (per address for calls without a key). */
export function throttlerOptions(config: BaseServiceConfig): ThrottlerModuleOptions {
  return { throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }] };
}

/** 429 with Retry-After and a problem body (the guard sets the header; the filter writes the problem). */
@Injectable()
export class EdgeThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const key = (request as unknown as Request).headers[API_KEY_HEADER];
    if (typeof key === 'string' && key) return `key:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
    return `ip:${(request as unknown as Request).ip ?? 'unknown'}`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return UNMETERED.has(context.switchToHttp().getRequest<Request>().path);
  }

  protected override async throwThrottlingException(): Promise<void> {
    throw new HttpException(
      { ownMessage: 'too many requests for this API key; retry after the number of seconds in Retry-After' },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Wrong API keys, counted per client address over a sliding minute: after AUTH_FAILURES_BEFORE_DELAY
 * each further wrong key is answered more slowly (doubling, up to 4 s); after AUTH_FAILURES_BEFORE_BLOCK
 * the address gets 429 with Retry-After until its minute has passed.
 */
export class AuthFailures {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly config: Pick<BaseServiceConfig, 'AUTH_FAILURES_BEFORE_DELAY' | 'AUTH_FAILURES_BEFORE_BLOCK'>) {}

  private recent(address: string, now: number): number[] {
    const times = (this.failures.get(address) ?? []).filter((time) => now - time < 60_000);
    if (times.length === 0) this.failures.delete(address);
    else this.failures.set(address, times);
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a spray of addresses
    return times;
  }

  /** Seconds until the address may try again, or 0. */
  blockedFor(address: string, now = Date.now()): number {
    const times = this.recent(address, now);
    return times.length >= this.config.AUTH_FAILURES_BEFORE_BLOCK ? Math.max(1, Math.ceil((times[0] + 60_000 - now) / 1000)) : 0;
  }

  /** Records a wrong key; returns how long to hold the answer (ms). */
  record(address: string, now = Date.now()): number {
    const times = [...this.recent(address, now), now];
    this.failures.set(address, times);
    const over = times.length - this.config.AUTH_FAILURES_BEFORE_DELAY;
    return over > 0 ? Math.min(4000, 100 * 2 ** Math.min(over, 6)) : 0;
  }
}
