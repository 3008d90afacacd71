import { createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import type { Caller } from './auth';
import type { BaseServiceConfig } from './config';
import { DomainError } from './errors';
import { IdempotentReplay } from './idempotent-replay';
import { RouteMemo } from './route-memo';
import { SERVICE_CONFIG } from './tokens';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const OWN_IDEMPOTENCY = 'backbone:own-idempotency';

/** A route that keeps Idempotency-Keys itself, in its own transaction (the hotline intake): the platform's store stands aside. */
export const OwnIdempotency = () => SetMetadata(OWN_IDEMPOTENCY, true);
export { REPLAYED_HEADER } from './idempotent-replay';
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;
/** An Idempotency-Key's shape: 1 to 255 visible ASCII characters (no spaces, no control characters). */
export function isIdempotencyKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}
/** A request still marked in progress after this long was cut short (a crash): its key may be used again. */
const ABANDONED_AFTER_MS = 60_000;

/** The table of Idempotency-Keys, in every service's database (added to each service's migrations by the platform). */
export class IdempotencyKeys1763800004000 implements MigrationInterface {
  name = 'IdempotencyKeys1763800004000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE http_idempotency_key (
        department text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        status smallint,
        body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (department, key)
      )`);
    await runner.query(`CREATE INDEX http_idempotency_key_expires ON http_idempotency_key (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE http_idempotency_key`);
  }
}

/** What makes two requests "the same": method, path and the body in canonical JSON (key order ignored). */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
          )
        : value;
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(canonical(body ?? null))}`)
    .digest('hex');
}

interface StoredKey {
  fingerprint: string;
  status: number | null;
  body: unknown;
  created_at: Date;
}

/**
 * `Idempotency-Key` (IETF httpapi draft) on every POST: the first successful response is kept for
 * IDEMPOTENCY_WINDOW_HOURS and a replay with the same key and the same request gets it again
 * (`Idempotency-Replayed: true`); the same key with a different request → 422; while the first is
 * still running → 409. Keys are per calling department. A request that failed keeps no key (nothing
 * was written, so a retry runs again).
 *
 * A guard, the last of the platform's (after the caller is known), rather than an interceptor: a global
 * interceptor puts every request of every route through RxJS (observables, a replay subject, bound
 * async resources), ~3 % of approval's CPU per loop, for the few requests that carry a key (ADR 0029).
 * The key is claimed here; the response's body is taken as it is sent, and kept when it has finished.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  private readonly routes: RouteMemo<boolean>;

  constructor(
    private readonly dataSource: DataSource,
    reflector: Reflector,
    @Inject(SERVICE_CONFIG) private readonly config: BaseServiceConfig,
  ) {
    this.routes = new RouteMemo((handler) => !!reflector.get<boolean>(OWN_IDEMPOTENCY, handler as never));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    if (request.method !== 'POST') return true;
    const key = request.header(IDEMPOTENCY_HEADER);
    if (key === undefined || this.routes.of(context)) return true;
    if (!KEY_SHAPE.test(key)) {
      throw new DomainError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters', 400, {
        field: 'Idempotency-Key',
      });
    }
    const response = context.switchToHttp().getResponse<Response>();
    const department = request.caller?.department ?? '-';
    const fingerprint = requestFingerprint(request.method, request.path, request.body);
    const stored = await this.claim(department, key, fingerprint);
    if (stored) throw new IdempotentReplay(stored.status!, stored.body);
    // The key is settled before the answer leaves: kept with the response after a success, released after
    // a refusal. Settled after it left, a client retrying the moment it reads the answer could still find
    // the key "being processed" (409), for the few milliseconds the write took.
    settleBeforeSending(response, (status, body) =>
      status < 400
        ? this.dataSource.query(`UPDATE http_idempotency_key SET status = $3, body = $4 WHERE department = $1 AND key = $2`, [
            department,
            key,
            status,
            JSON.stringify(body ?? null),
          ])
        : this.release(department, key),
    );
    // No answer went out (the connection closed first): the request is as if never made.
    response.once('close', () => {
      if (!response.writableFinished) this.release(department, key).catch(() => undefined);
    });
    return true;
  }

  private release(department: string, key: string): Promise<unknown> {
    return this.dataSource.query(`DELETE FROM http_idempotency_key WHERE department = $1 AND key = $2 AND status IS NULL`, [
      department,
      key,
    ]);
  }

  /** Takes the key for this request (→ undefined: go on), or returns the stored response to replay. */
  private async claim(department: string, key: string, fingerprint: string): Promise<StoredKey | undefined> {
    const windowMs = this.config.IDEMPOTENCY_WINDOW_HOURS * 3_600_000;
    // Now and then, expired keys are purged (a replayed key past its window is replaced below anyway).
    if (Math.random() < 0.01) await this.dataSource.query(`DELETE FROM http_idempotency_key WHERE expires_at < now()`);
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.dataSource.query<unknown[]>(
        `INSERT INTO http_idempotency_key (department, key, fingerprint, expires_at)
         VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
         ON CONFLICT (department, key) DO NOTHING RETURNING key`,
        [department, key, fingerprint, windowMs],
      );
      if (inserted.length > 0) return undefined;
      const [stored] = await this.dataSource.query<Array<StoredKey & { expired: boolean }>>(
        `SELECT fingerprint, status, body, created_at, expires_at < now() AS expired FROM http_idempotency_key WHERE department = $1 AND key = $2`,
        [department, key],
      );
      if (!stored) continue; // released meanwhile: try again
      const abandoned = stored.status === null && Date.now() - new Date(stored.created_at).getTime() > ABANDONED_AFTER_MS;
      if (stored.expired || abandoned) {
        await this.dataSource.query(`DELETE FROM http_idempotency_key WHERE department = $1 AND key = $2 AND created_at = $3`, [
          department,
          key,
          stored.created_at,
        ]);
        continue;
      }
      if (stored.fingerprint !== fingerprint) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was used for a different request (method, path or body differ)',
          422,
          { field: 'Idempotency-Key' },
        );
      }
      if (stored.status === null) {
        throw new DomainError('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still being processed; retry later', 409, {
          field: 'Idempotency-Key',
        });
      }
      return stored;
    }
    throw new DomainError('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still being processed; retry later', 409);
  }
}

/**
 * Runs `settle` with the status and body of the answer before any of it is sent. The body is taken where
 * Nest hands it to Express (`json` for an object, `send` otherwise); every answer, a problem written
 * with `end` by the exception filter included, leaves through `end`, which is held until `settle` has
 * finished and then called as it was. Nothing waits on `end`'s return, so holding it is safe. A failed
 * `settle` does not hold the answer back: the key then expires as abandoned.
 */
export function settleBeforeSending(response: Response, settle: (status: number, body: unknown) => Promise<unknown>): void {
  let body: unknown;
  let taken = false;
  let settling = false;
  const json = response.json.bind(response);
  const send = response.send.bind(response);
  const end = response.end.bind(response) as (...args: unknown[]) => Response;
  response.json = (value?: unknown) => {
    if (!taken) [body, taken] = [value, true];
    return json(value);
  };
  response.send = (value?: unknown) => {
    if (!taken) [body, taken] = [value, true];
    return send(value);
  };
  response.end = ((...args: unknown[]) => {
    if (settling) return end(...args);
    settling = true;
    void settle(response.statusCode, body)
      .catch(() => undefined)
      .then(() => end(...args));
    return response;
  }) as Response['end'];
}
