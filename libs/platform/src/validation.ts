import { applyDecorators, ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isValidUscc, USCC_JSON_SCHEMA } from '@backbone/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';
import { DomainError } from './errors';

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validCalendarDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** RFC 3339 `full-date` (2026-03-01) with a real calendar day: 2025-02-30, 2026-W49, 20250230, 2026-366 are not. */
export function isRfc3339Date(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = FULL_DATE.exec(value);
  return !!match && validCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * RFC 3339 `date-time` (2026-03-01T09:00:00Z, 2026-03-01T17:00:00.5+08:00) with a real calendar day and
 * clock time. A leap second (:60) is refused: JavaScript dates cannot hold it.
 */
export function isRfc3339DateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const [, year, month, day, hour, minute, second, , , , offsetHours, offsetMinutes] = match;
  if (!validCalendarDate(Number(year), Number(month), Number(day))) return false;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return false;
  if (offsetHours !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

export type DateKind = 'date' | 'date-time' | 'date-or-date-time';

function accepts(kind: DateKind, value: unknown): boolean {
  if (kind === 'date') return isRfc3339Date(value);
  if (kind === 'date-time') return isRfc3339DateTime(value);
  return isRfc3339Date(value) || isRfc3339DateTime(value);
}

const KIND_TEXT: Record<DateKind, string> = {
  date: 'an RFC 3339 full-date (YYYY-MM-DD) that exists in the calendar',
  'date-time': 'an RFC 3339 date-time with offset (YYYY-MM-DDThh:mm:ss[.fff]Z or ±hh:mm) that exists in the calendar',
  'date-or-date-time': 'an RFC 3339 full-date (YYYY-MM-DD) or date-time with offset, that exists in the calendar',
};

/** class-validator rule: an RFC 3339 date and/or date-time, checked against the calendar (no rollover). */
export function IsRfc3339(kind: DateKind = 'date-time', options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: kind === 'date' ? 'isRfc3339Date' : 'isRfc3339DateTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      constraints: [kind], // the OpenAPI schema is generated from it (openapi.ts)
      validator: {
        validate: (value: unknown) => accepts(kind, value),
        defaultMessage: (args) => `${args?.property} must be ${KIND_TEXT[kind]}`,
      },
    });
}

/** The OpenAPI schema of a date field, from the same rule the validator applies. */
export function dateSchema(kind: DateKind): Record<string, unknown> {
  if (kind === 'date') return { type: 'string', format: 'date' };
  if (kind === 'date-time') return { type: 'string', format: 'date-time' };
  return {
    oneOf: [
      { type: 'string', format: 'date' },
      { type: 'string', format: 'date-time' },
    ],
  };
}

/**
 * A date field of a request: the validator and its OpenAPI schema from one place.
 * `@DateField({ kind: 'date-time', required: false, description })`.
 */
export function DateField(
  options: { kind?: DateKind; required?: boolean; description?: string; example?: string } = {},
): PropertyDecorator {
  const kind = options.kind ?? 'date-time';
  const schema = { ...dateSchema(kind), description: [options.description, `RFC 3339 ${kind}`].filter(Boolean).join('. ') };
  const example = options.example ?? (kind === 'date' ? '2026-03-01' : '2026-03-01T09:00:00+08:00');
  return options.required === false
    ? applyDecorators(ApiPropertyOptional({ ...schema, example }), IsOptional(), IsRfc3339(kind))
    : applyDecorators(ApiProperty({ ...schema, example }), IsRfc3339(kind));
}

/** PostgreSQL bigint's upper bound: an id above it is not an id (400, not a database error). */
export const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** `@Param('id', ParseBigintIdPipe)`: a positive bigint id as a decimal string, or 400. */
@Injectable()
export class ParseBigintIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[1-9]\d{0,18}$/.test(value) || BigInt(value) > MAX_BIGINT)
      throw new DomainError('VALIDATION_FAILED', 'id must be a positive integer of at most 2^63-1', 400, {
        errors: [{ field: 'id', rule: 'isBigintId', message: 'id must be a positive integer of at most 2^63-1' }],
      });
    return value;
  }
}

const REQUIRED_WHEN = Symbol('backbone:required-when');

export interface RequiredWhenRule {
  property: string;
  field: string;
  values: readonly unknown[];
}

/**
 * A field required when another field has one of some values (`@RequiredWhen('outcome', ['granted'])`),
 * and validated whenever it is given. Replaces a hand-written `@ValidateIf` so that the OpenAPI schema
 * can say it too (openapi.ts: `anyOf` the field is present or the other field has another value).
 */
export function RequiredWhen(field: string, values: readonly unknown[]): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    ValidateIf((request: Record<string, unknown>) => values.includes(request[field]) || request[property as string] !== undefined)(
      target,
      property,
    );
    const rules = requiredWhenRules(target.constructor);
    Reflect.defineMetadata(REQUIRED_WHEN, [...rules, { property: property as string, field, values }], target.constructor);
  };
}

/** The `@RequiredWhen` rules of a request class (its own and inherited). */
export function requiredWhenRules(target: object): RequiredWhenRule[] {
  return (Reflect.getMetadata(REQUIRED_WHEN, target) as RequiredWhenRule[] | undefined) ?? [];
}

function invalidParameter(field: string, rule: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, 400, { errors: [{ field, rule, message: `${field}: ${message}` }] });
}

/**
 * `@Query('year', new PatternPipe(/^\d{4}$/, 'four digits'))`: a path or query value matching a
 * pattern (absent is let through for a query), and the same pattern in the OpenAPI document.
 */
export class PatternPipe implements PipeTransform<string | undefined, string | undefined> {
  readonly openApiSchema: { type: 'string'; pattern: string; description: string };

  constructor(
    private readonly pattern: RegExp,
    private readonly rule: string,
  ) {
    this.openApiSchema = { type: 'string', pattern: pattern.source, description: rule };
  }

  transform(value: string | undefined, metadata: ArgumentMetadata): string | undefined {
    if (value === undefined && metadata.type === 'query') return value;
    if (typeof value !== 'string' || !this.pattern.test(value)) throw invalidParameter(metadata.data ?? 'value', 'matches', this.rule);
    return value;
  }
}

/** `@Param('uscc', ParseUsccPipe)`: a USCC with its check character (absent is let through for a query). */
@Injectable()
export class ParseUsccPipe implements PipeTransform<string | undefined, string | undefined> {
  static readonly openApiSchema = { ...USCC_JSON_SCHEMA };

  transform(value: string | undefined, metadata: ArgumentMetadata): string | undefined {
    if (value === undefined && metadata.type === 'query') return value;
    if (!isValidUscc(value))
      throw invalidParameter(metadata.data ?? 'uscc', 'isUscc', 'must be a unified social credit code with a valid check character');
    return value;
  }
}

/** `@Query('status', new OneOfPipe(['pending', 'done']))`: one of some values (absent is let through for a query), stated as an enum. */
export class OneOfPipe<T extends string> implements PipeTransform<string | undefined, T | undefined> {
  readonly openApiSchema: { type: 'string'; enum: T[] };

  constructor(private readonly values: readonly T[]) {
    this.openApiSchema = { type: 'string', enum: [...values] };
  }

  transform(value: string | undefined, metadata: ArgumentMetadata): T | undefined {
    if (value === undefined && metadata.type === 'query') return value;
    if (!this.values.includes(value as T))
      throw invalidParameter(metadata.data ?? 'value', 'isIn', `must be one of ${this.values.join(', ')}`);
    return value as T;
  }
}
