import { createHash } from 'node:crypto';
import { CloudEventV1, HTTP } from 'cloudevents';
import { EventClass, INTAKE_EVENT_CLASSES, describeValidationErrors } from '@backbone/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IntegrationErrors } from '../../integration.errors';
import type { IntakeRights } from '../intake-rights/intake-rights';
import { INTAKE_ATTRIBUTES } from './cloudevents.schema';

export const STRUCTURED = 'application/cloudevents+json';
export const BATCH = 'application/cloudevents-batch+json';

type IntakeClass = (typeof INTAKE_EVENT_CLASSES)[number];

/** An event that passed every check, ready to be accepted. */
export interface CheckedEvent {
  eventClass: IntakeClass & EventClass;
  id: string;
  source: string;
  subject: string;
  time?: string;
  correlationId?: string;
  data: Record<string, unknown>;
  /** SHA-256 of the event's content (type, subject, time, data), keys sorted: tells a replay from a reused id. */
  contentHash: string;
}

interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

/**
 * Reads the CloudEvents of an HTTP request in any of the three modes of the HTTP binding: structured
 * (application/cloudevents+json), batch (application/cloudevents-batch+json) or binary (ce-* headers,
 * the data as the body). The CloudEvents SDK checks the spec's attributes.
 */
export function readCloudEvents(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
  maxBatch: number,
): CloudEventV1<unknown>[] {
  const contentType = String(headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const binary = headers['ce-specversion'] !== undefined;
  if (!binary && contentType !== STRUCTURED && contentType !== BATCH) throw IntegrationErrors.unsupportedMediaType(contentType);
  if (binary && contentType !== 'application/json') throw IntegrationErrors.unsupportedMediaType(contentType);
  const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  if (text.trim() === '')
    throw IntegrationErrors.invalidEvents('the body is empty', [{ field: 'body', rule: 'required', message: 'no event' }]);
  if (!binary) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw IntegrationErrors.invalidEvents('the body is not JSON', [{ field: 'body', rule: 'json', message: 'not JSON' }]);
    }
    if (contentType === BATCH) {
      if (!Array.isArray(parsed)) {
        throw IntegrationErrors.invalidEvents('a batch is a JSON array of events', [
          { field: 'body', rule: 'array', message: 'not an array' },
        ]);
      }
      if (parsed.length === 0) throw IntegrationErrors.emptyBatch();
      if (parsed.length > maxBatch) throw IntegrationErrors.batchTooLarge(parsed.length, maxBatch);
    }
    // The SDK would assume 1.0 for an event without specversion; the spec requires it.
    const problems = (Array.isArray(parsed) && contentType === BATCH ? parsed : [parsed]).flatMap((event, position) =>
      event !== null && typeof event === 'object' && !Array.isArray(event) && (event as { specversion?: unknown }).specversion === '1.0'
        ? []
        : [{ field: `${contentType === BATCH ? `[${position}].` : ''}specversion`, rule: 'equals', message: 'specversion must be "1.0"' }],
    );
    if (problems.length > 0) throw IntegrationErrors.invalidEvents(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  } else if (headers['ce-specversion'] !== '1.0') {
    throw IntegrationErrors.invalidEvents('ce-specversion must be 1.0', [
      { field: 'ce-specversion', rule: 'equals', message: 'must be 1.0' },
    ]);
  }
  let events: CloudEventV1<unknown>[];
  try {
    const read = HTTP.toEvent({ headers: stringHeaders(headers), body: text });
    events = Array.isArray(read) ? read : [read];
  } catch (error) {
    const detail = (error as { errors?: unknown }).errors;
    const message = `${(error as Error).message}${detail ? `: ${JSON.stringify(detail)}` : ''}`;
    throw IntegrationErrors.invalidEvents(`not a valid CloudEvent: ${message}`, [{ field: 'body', rule: 'cloudevents', message }]);
  }
  // The SDK fills in the current time for an event sent without `time`. That time is not the sender's:
  // kept, it would make an unchanged retry look like other content under the same id (EVENT_ID_REUSED).
  const timeGiven = binary ? [headers['ce-time'] !== undefined] : sentTimes(JSON.parse(text) as unknown);
  return events.map((event, position) => (timeGiven[position] ? event : { ...event, time: undefined }));
}

/** Whether each event of a structured or batch body carried its own `time`. */
function sentTimes(parsed: unknown): boolean[] {
  return (Array.isArray(parsed) ? parsed : [parsed]).map((event) => (event as { time?: unknown }).time !== undefined);
}

function stringHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(',') : (value as string)]),
  );
}

/**
 * Checks one event against the intake's rules, in this order: the type is an intake type (400), the
 * sending department may post it (403), `source` is the department's (403), the payload is valid for the
 * published class (400, every problem named), the payload's sender field names the department (403) and
 * the subject is the payload's USCC. `index` prefixes field names in a batch (`[2].`).
 */
export function checkEvent(
  event: CloudEventV1<unknown>,
  department: string,
  rights: IntakeRights,
  index: string,
): CheckedEvent | FieldProblem[] {
  const eventClass = INTAKE_EVENT_CLASSES.find((each) => each.type === event.type);
  if (!eventClass) {
    const types = INTAKE_EVENT_CLASSES.map((each) => each.type).join(', ');
    return [{ field: `${index}type`, rule: 'isIntakeType', message: `${event.type} is not accepted at the intake (${types})` }];
  }
  if (!rights.get(event.type)?.has(department)) throw IntegrationErrors.typeNotAllowed(department, event.type, index);
  // (the SDK's event has a key for every attribute it knows, undefined when not given)
  const unknown = Object.entries(event)
    .filter(([attribute, value]) => value !== undefined && !INTAKE_ATTRIBUTES.has(attribute))
    .map(([attribute]) => attribute);
  if (unknown.length > 0)
    return unknown.map((attribute) => ({
      field: `${index}${attribute}`,
      rule: 'whitelist',
      message: `the attribute ${attribute} is not accepted`,
    }));
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(event.id))
    return [{ field: `${index}id`, rule: 'matches', message: 'id must be 1-100 letters, digits or ._:-' }];
  if (!/^\/departments\/[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9._~-]{1,64}){0,4}$/.test(event.source))
    return [{ field: `${index}source`, rule: 'matches', message: 'source must be /departments/<department>[/…]' }];
  if (event.source !== `/departments/${department}` && !event.source.startsWith(`/departments/${department}/`)) {
    throw IntegrationErrors.foreignSource(department, event.source, index);
  }
  const problems: FieldProblem[] = [];
  if (event.datacontenttype !== undefined && event.datacontenttype.split(';')[0].trim() !== 'application/json') {
    problems.push({ field: `${index}datacontenttype`, rule: 'isJson', message: 'data must be application/json' });
  }
  const data = event.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push({ field: `${index}data`, rule: 'isObject', message: 'data must be a JSON object' });
    return problems;
  }
  const instance = plainToInstance(eventClass as unknown as new () => object, data);
  for (const problem of describeValidationErrors(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }))) {
    const [field, ...message] = problem.split(': ');
    problems.push({ field: `${index}data.${field}`, rule: 'payload', message: message.join(': ') });
  }
  const correlationId = (event as unknown as { correlationid?: unknown }).correlationid;
  if (correlationId !== undefined && (typeof correlationId !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(correlationId))) {
    problems.push({ field: `${index}correlationid`, rule: 'matches', message: 'correlationid must be 1-100 letters, digits or ._:-' });
  }
  if (problems.length > 0) return problems;
  const payload = data as Record<string, unknown>;
  if (payload[eventClass.senderField] !== department) {
    throw IntegrationErrors.foreignSender(department, eventClass.senderField, payload[eventClass.senderField], index);
  }
  const uscc = payload.uscc as string;
  if (event.subject !== undefined && event.subject !== uscc) {
    return [{ field: `${index}subject`, rule: 'equals', message: `subject ${event.subject} must be the payload's uscc ${uscc}` }];
  }
  return {
    eventClass: eventClass,
    id: event.id,
    source: event.source,
    subject: uscc,
    time: event.time,
    correlationId: correlationId as string | undefined,
    data: payload,
    contentHash: createHash('sha256')
      .update(canonicalJson({ type: event.type, subject: uscc, time: event.time ?? null, data: payload }))
      .digest('hex'),
  };
}

/** Checks every event of a request; all pass, or nothing is accepted. */
export function checkEvents(events: CloudEventV1<unknown>[], department: string, rights: IntakeRights, batch: boolean): CheckedEvent[] {
  const checked: CheckedEvent[] = [];
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  events.forEach((event, position) => {
    const index = batch ? `[${position}].` : '';
    const result = checkEvent(event, department, rights, index);
    if (Array.isArray(result)) problems.push(...result);
    else {
      const key = `${result.source}\n${result.id}`;
      if (seen.has(key)) problems.push({ field: `${index}id`, rule: 'unique', message: `id ${result.id} appears twice in the batch` });
      seen.add(key);
      checked.push(result);
    }
  });
  if (problems.length > 0) throw IntegrationErrors.invalidEvents(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  return checked;
}

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
