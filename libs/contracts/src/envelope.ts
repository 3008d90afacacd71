import { randomUUID } from 'node:crypto';
import type * as CloudEvents from 'cloudevents';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { eventClassOf } from './catalog';
import type { EventClass } from './event-class';
import { INSPECTION_PLAN_SUBJECT, INSPECTION_TASK_SUBJECT } from './events/random-inspection.v1';
import { RISK_WARNING_SUBJECT } from './events/risk-warning.v1';
import { compiledPayload } from './compiled-validation';
import { isoString } from './iso-time';
import { usccProblem } from './uscc';
import { cacheValidationMetadata } from './validation-metadata-cache';

cacheValidationMetadata();

/**
 * The one envelope for every event: CloudEvents 1.0 (structured mode, JSON) with two extensions,
 * `correlationid` (the approval's loop) and `causationid` (the event that caused this one).
 */
export interface Envelope<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  /**
   * The market entity's USCC (a risk warning's events: `risk-warning:<id>`; a random-inspection plan's or
   * task's: `inspection-plan:<id>`, `inspection-task:<id>`). Also the Kafka message key.
   */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  correlationid: string;
  causationid?: string;
  data: T;
}

export interface EnvelopeInput<T> {
  source: string;
  subject: string;
  data: T;
  correlationId: string;
  causationId?: string;
  id?: string;
  time?: Date;
}

/**
 * The envelope of an event, its payload validated against its class unless `payloadChecked`: a payload
 * the producer built from input it had already validated, shown valid for every valid input by a spec
 * of the builder (approval's `decided` on ingest: `decided-event.spec.ts`). Validation is then once per
 * hop, at the consumer (ADR 0029).
 */
export function createEnvelope<T extends object>(
  eventClass: EventClass<T>,
  input: EnvelopeInput<T>,
  options: { payloadChecked?: boolean } = {},
): Envelope<T> {
  const envelope: Envelope<T> = {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source,
    type: eventClass.type,
    subject: input.subject,
    time: isoString(input.time ?? new Date()),
    datacontenttype: 'application/json',
    correlationid: input.correlationId,
    ...(input.causationId ? { causationid: input.causationId } : {}),
    data: input.data,
  };
  if (options.payloadChecked) return envelope;
  const problems = validatePayload(eventClass, input.data);
  if (problems.length > 0) throw new EnvelopeError(`payload of ${eventClass.type} is invalid: ${problems.join('; ')}`);
  return envelope;
}

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

/** Each problem as `field: rule message`, nested fields dotted. */
export function describeValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

export function validatePayload<T extends object>(eventClass: EventClass<T>, data: unknown): string[] {
  return checkedPayload(eventClass, data).problems;
}

/**
 * The payload as an instance of its class, with the problems found validating it (none: it is valid):
 * a consumer transforms and validates a payload once, and hands the validated instance on. A valid
 * payload takes the compiled path (ADR 0011); anything else gets class-transformer's instance and
 * class-validator's problems, as before.
 */
export function checkedPayload<T extends object>(eventClass: EventClass<T>, data: unknown): { payload?: T; problems: string[] } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { problems: ['data: must be a JSON object'] };
  const compiled = compiledPayload(eventClass, data);
  if (compiled !== undefined) return { payload: compiled, problems: [] };
  try {
    const payload = plainToInstance(eventClass, data);
    return { payload, problems: describeValidationErrors(validateSync(payload, { whitelist: true, forbidNonWhitelisted: true })) };
  } catch (error) {
    // class-transformer throws on a nested object with a `constructor` key where no @Type is declared:
    // a payload no consumer can read, refused like any other (a dead letter), not a failed poll.
    return { problems: [`data: cannot be read as ${eventClass.name} (${String(error)})`] };
  }
}

/** The subjects of events that concern no one entity (EventClass.subjectKind). */
const SUBJECTS: Record<NonNullable<EventClass['subjectKind']>, { shape: RegExp; name: string }> = {
  'risk-warning': { shape: RISK_WARNING_SUBJECT, name: 'risk-warning:<warning id>' },
  'inspection-plan': { shape: INSPECTION_PLAN_SUBJECT, name: 'inspection-plan:<plan id>' },
  'inspection-task': { shape: INSPECTION_TASK_SUBJECT, name: 'inspection-task:<task id>' },
};

let cloudEvents: typeof CloudEvents | undefined;

/** The attributes an envelope of ours has (`Envelope`): the spec's own and our two extensions. */
export const ENVELOPE_ATTRIBUTES: readonly string[] = [
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'correlationid',
  'causationid',
  'data',
];
const PLAIN_ATTRIBUTES = new Set(ENVELOPE_ATTRIBUTES);
/** A source as our producers write it (`/services/<name>`): an absolute path, a URI reference by any reading. */
const PLAIN_SOURCE = /^\/[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/;
/** A time as `Date.prototype.toISOString` writes it (years 0000–9999). */
const PLAIN_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const nonEmptyString = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
const absentOrNonEmptyString = (value: unknown): boolean => value === undefined || nonEmptyString(value);

/**
 * Whether a parsed value is an envelope as our producers write it, checked without the CloudEvents SDK:
 * only our attributes, specversion "1.0", id and type non-empty strings, the source an absolute path, the
 * time as `toISOString` writes a real instant, the extensions strings. Every value this accepts the SDK
 * accepts too (`envelope.spec.ts` holds that over each attribute's boundaries); anything else goes to the
 * SDK, whose answer and messages stay as they were. The SDK copied the event, walked its attributes with
 * regular expressions and ran its JSON schema with format checks on every consumed message (ADR 0034).
 */
export function plainlyConforming(parsed: object): boolean {
  const event = parsed as Record<string, unknown>;
  for (const key in event) if (!PLAIN_ATTRIBUTES.has(key)) return false;
  if (event.specversion !== '1.0' || !nonEmptyString(event.id) || !nonEmptyString(event.type)) return false;
  if (typeof event.source !== 'string' || !PLAIN_SOURCE.test(event.source)) return false;
  if (!absentOrNonEmptyString(event.subject) || !absentOrNonEmptyString(event.datacontenttype)) return false;
  if (typeof event.correlationid !== 'string' || (event.causationid !== undefined && typeof event.causationid !== 'string')) return false;
  if (event.time !== undefined) {
    if (typeof event.time !== 'string' || !PLAIN_TIME.test(event.time)) return false;
    const instant = new Date(event.time);
    if (Number.isNaN(instant.getTime()) || isoString(instant) !== event.time) return false;
  }
  return true;
}

/**
 * Parses and checks a raw message value: JSON, CloudEvents 1.0 attributes, our extensions, and the
 * subject as a USCC (or, for a type whose class says so, a risk warning). Throws EnvelopeError naming what is wrong. Payload validation is separate,
 * because it needs the payload class of the type.
 */
export function parseEnvelope(raw: Buffer | string | null): Envelope<unknown> {
  if (raw === null || raw.length === 0) throw new EnvelopeError('message has no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString());
  } catch (error) {
    throw new EnvelopeError(`value is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EnvelopeError('value is not a JSON object');
  }
  if ((parsed as { specversion?: unknown }).specversion !== '1.0') {
    throw new EnvelopeError(`not a CloudEvents 1.0 event: specversion must be "1.0"`);
  }
  if (!plainlyConforming(parsed)) {
    try {
      // The CloudEvents SDK checks the spec's attributes (required, types, extension names). Loaded at the
      // first message that needs it, not at boot: ~65 ms of CPU a restart need not spend before it serves (ADR 0017).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cloudEvents ??= require('cloudevents') as typeof CloudEvents;
      new cloudEvents.CloudEvent(parsed, true);
    } catch (error) {
      const detail = (error as { errors?: unknown }).errors;
      throw new EnvelopeError(`not a CloudEvents 1.0 event: ${(error as Error).message}${detail ? ` ${JSON.stringify(detail)}` : ''}`);
    }
  }
  const envelope = parsed as Envelope<unknown>;
  if (typeof envelope.correlationid !== 'string' || envelope.correlationid.length === 0) {
    throw new EnvelopeError('correlationid: must be a non-empty string');
  }
  const subjectKind = eventClassOf(String(envelope.type))?.subjectKind;
  if (subjectKind) {
    if (typeof envelope.subject !== 'string' || !SUBJECTS[subjectKind].shape.test(envelope.subject)) {
      throw new EnvelopeError(`subject: must be ${SUBJECTS[subjectKind].name} for ${envelope.type}`);
    }
  } else {
    const subjectProblem = usccProblem(envelope.subject);
    if (subjectProblem) throw new EnvelopeError(`subject: must be a valid USCC (${subjectProblem})`);
  }
  if (envelope.data === undefined) throw new EnvelopeError('data: is missing');
  return envelope;
}
