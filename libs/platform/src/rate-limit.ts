import { createHash } from 'node:crypto';
import { ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
import type { Request } from 'express';
import { API_KEY_HEADER } from './auth';
import type { BaseServiceConfig } from './config';
import { SERVICE_CONFIG } from './tokens';

const UNMETERED = new Set(['/health', '/health/live', '/metrics']);

/** Per-client request budget: RATE_LIMIT_PER_MINUTE per API key (per address for calls without a key). */
export function throttlerOptions(config: BaseServiceConfig): ThrottlerModuleOptions {
  return { throttlers: [rateBudget(config)], storage: new CountingThrottlerStorage() };
}

/** The one budget: per minute, and a client over it is refused for the rest of that minute (blockDuration = ttl). */
export function rateBudget(config: Pick<BaseServiceConfig, 'RATE_LIMIT_PER_MINUTE'>): { name: string; ttl: number; limit: number } {
  return { name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE };
}

interface HitWindow {
  /** Hits per second (`Math.floor(ms / 1000)`), oldest first from `head`. */
  seconds: number[];
  counts: number[];
  head: number;
  total: number;
  expiresAt: number;
  blockedUntil: number;
}

/**
 * The throttler's hit counts, kept per second. @nestjs/throttler's own storage keeps one expiry time
 * per hit and filters the whole list (a minute of hits: 17,000 at 290 requests/s) on every request,
 * so its cost grows with the square of the rate. Here a request costs O(1) (expired seconds leave
 * from the front); a hit expires at the end of its second plus the ttl, at most a second late.
 * Blocking is @nestjs/throttler's: over the limit, a key is refused for blockDuration, its hits not
 * counted, and starts afresh afterwards.
 */
export class CountingThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, HitWindow>();
  private sweptAt = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = this.clock();
    this.sweep(now, ttl);
    let window = this.windows.get(key);
    if (!window) {
      window = { seconds: [], counts: [], head: 0, total: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, window);
    }
    expire(window, now, ttl);
    if (window.expiresAt <= now) window.expiresAt = now + ttl;
    const timeToExpire = Math.ceil((window.expiresAt - now) / 1000);
    if (window.blockedUntil > now) {
      return { totalHits: window.total, timeToExpire, isBlocked: true, timeToBlockExpire: Math.ceil((window.blockedUntil - now) / 1000) };
    }
    if (window.blockedUntil > 0) {
      window.blockedUntil = 0;
      window.seconds = [];
      window.counts = [];
      window.head = 0;
      window.total = 0;
    }
    if (blockDuration <= 0 && window.total >= limit) {
      const oldest = window.seconds[window.head];
      return {
        totalHits: window.total + 1,
        timeToExpire,
        isBlocked: true,
        timeToBlockExpire: Math.max(1, Math.ceil(((oldest + 1) * 1000 + ttl - now) / 1000)),
      };
    }
    const second = Math.floor(now / 1000);
    const last = window.seconds.length - 1;
    if (last >= window.head && window.seconds[last] === second) window.counts[last]++;
    else {
      window.seconds.push(second);
      window.counts.push(1);
    }
    window.total++;
    if (blockDuration > 0 && window.total > limit) {
      window.blockedUntil = now + blockDuration;
      return { totalHits: window.total, timeToExpire, isBlocked: true, timeToBlockExpire: Math.ceil(blockDuration / 1000) };
    }
    return { totalHits: window.total, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
  }

  /** Keys nobody used for a ttl leave (at most once a ttl). */
  private sweep(now: number, ttl: number): void {
    if (now - this.sweptAt < ttl) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) {
      expire(window, now, ttl);
      if (window.total === 0 && window.blockedUntil <= now) this.windows.delete(key);
    }
  }
}

function expire(window: HitWindow, now: number, ttl: number): void {
  while (window.head < window.seconds.length && (window.seconds[window.head] + 1) * 1000 + ttl <= now) {
    window.total -= window.counts[window.head];
    window.head++;
  }
  if (window.head > 64 && window.head * 2 > window.seconds.length) {
    window.seconds = window.seconds.slice(window.head);
    window.counts = window.counts.slice(window.head);
    window.head = 0;
  }
}

/** 429 with Retry-After and a problem body (the guard sets the header; the filter writes the problem). */
@Injectable()
export class EdgeThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const key = (request as unknown as Request).headers[API_KEY_HEADER];
    if (typeof key === 'string' && key) return apiKeyTracker(key);
    return `ip:${(request as unknown as Request).ip ?? 'unknown'}`;
  }

  protected override generateKey(context: ExecutionContext, tracker: string, throttlerName: string): string {
    return throttlerKey(context.getClass().name, context.getHandler().name, throttlerName, tracker);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return UNMETERED.has(context.switchToHttp().getRequest<Request>().path);
  }

  /**
   * The library's check, for the one budget `throttlerOptions` configures and without its per-request
   * reading of route decorators (`@Throttle`, `@SkipThrottle`: no route uses them): five Reflector
   * lookups and a dozen awaits per request, for values that never change (ADR 0029).
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await this.shouldSkip(context)) return true;
    for (const throttler of this.throttlers) {
      const { limit, ttl } = throttler as { limit: number; ttl: number };
      await this.handleRequest({
        context,
        limit,
        ttl,
        throttler,
        blockDuration: (throttler.blockDuration as number | undefined) ?? ttl,
        getTracker: this.commonOptions.getTracker!,
        generateKey: this.commonOptions.generateKey!,
      });
    }
    return true;
  }

  protected override async throwThrottlingException(): Promise<void> {
    throw throttledError();
  }
}

/** The 429 of a client over its budget (the filter writes the problem; Retry-After is set beforehand). */
export function throttledError(): HttpException {
  return new HttpException(
    { ownMessage: 'too many requests for this API key; retry after the number of seconds in Retry-After' },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}

/** API key → its tracker (the key's hash, as the throttler's keys must not carry keys), hashed once per key. */
const trackers = new Map<string, string>();

/** The budget's tracker of an API key: the guard's and a direct route's (direct-route.ts). */
export function apiKeyTracker(key: string): string {
  let tracker = trackers.get(key);
  if (tracker === undefined) {
    if (trackers.size >= 10_000) trackers.clear(); // bounded under a spray of wrong keys
    tracker = `key:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
    trackers.set(key, tracker);
  }
  return tracker;
}

/** The storage is in memory: the route and tracker name the budget as they are, without a hash per request. */
export function throttlerKey(controller: string, handler: string, throttlerName: string, tracker: string): string {
  return `${controller}-${handler}-${throttlerName}-${tracker}`;
}

/**
 * Wrong API keys, counted per client address over a sliding minute: after AUTH_FAILURES_BEFORE_DELAY
 * each further wrong key is answered more slowly (doubling, up to 4 s); after AUTH_FAILURES_BEFORE_BLOCK
 * the address gets 429 with Retry-After until its minute has passed.
 */
@Injectable()
export class AuthFailures {
  private readonly failures = new Map<string, number[]>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: Pick<BaseServiceConfig, 'AUTH_FAILURES_BEFORE_DELAY' | 'AUTH_FAILURES_BEFORE_BLOCK'>,
  ) {}

  private recent(address: string, now: number): number[] {
    if (this.failures.size === 0) return [];
    const times = (this.failures.get(address) ?? []).filter((time) => now - time < 60_000);
    if (times.length === 0) this.failures.delete(address);
    else this.failures.set(address, times);
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a spray of addresses
    return times;
  }

  /** Seconds until the address may try again, or 0 (the address is asked for only when some address failed lately). */
  blockedFor(address: string | (() => string), now = Date.now()): number {
    if (this.failures.size === 0) return 0;
    const times = this.recent(typeof address === 'function' ? address() : address, now);
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
