import { DomainError, ForbiddenError } from '@backbone/platform';

/**
 * Every rule the integration context enforces, by its stable code. Clients may switch on the code;
 * the message says what to change.
 */
export const IntegrationErrors = {
  /** The body is not a CloudEvent (or batch) this intake can read, or an event in it is invalid. */
  invalidEvents: (detail: string, errors: { field: string; rule: string; message: string }[]) =>
    new DomainError('INVALID_CLOUDEVENT', detail, 400, { errors }),
  unsupportedMediaType: (contentType: string) =>
    new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content-type ${contentType || '(none)'} is not accepted: use application/cloudevents+json (structured), ` +
        'application/cloudevents-batch+json (batch) or ce-* headers with application/json data (binary)',
      415,
    ),
  /** The department may not send this type (INTAKE_RIGHTS). */
  typeNotAllowed: (department: string, type: string, index: string) =>
    new ForbiddenError('EVENT_TYPE_NOT_ALLOWED', `${index}type: ${department} may not send ${type} (INTAKE_RIGHTS)`),
  /** `source` must name the department whose key sent the event. */
  foreignSource: (department: string, source: string, index: string) =>
    new ForbiddenError(
      'SOURCE_NOT_OWN',
      `${index}source: ${source} is not /departments/${department}[/…]: a department sends its own events`,
    ),
  /** The payload's sender field must name the sending department. */
  foreignSender: (department: string, field: string, value: unknown, index: string) =>
    new ForbiddenError('SENDER_NOT_OWN', `${index}data.${field}: ${String(value)} is not ${department}: a department reports its own acts`),
  /** Same id + source as an accepted event, different content. */
  idReused: (source: string, id: string) =>
    new DomainError(
      'EVENT_ID_REUSED',
      `an event with source ${source} and id ${id} was accepted with different content: a new event needs a new id`,
      422,
    ),
  /** More events than INTAKE_MAX_BATCH: the document states it as the batch's maxItems, so 400 like any stated rule. */
  batchTooLarge: (count: number, max: number) =>
    new DomainError('BATCH_TOO_LARGE', `a batch holds at most ${max} events; this one has ${count}`, 400, {
      errors: [{ field: 'body', rule: 'arrayMaxSize', message: `a batch holds at most ${max} events` }],
    }),
  emptyBatch: () => new DomainError('EMPTY_BATCH', 'the batch holds no event', 400),
  subscriptionNotFound: (id: string) => new DomainError('WEBHOOK_SUBSCRIPTION_NOT_FOUND', `webhook subscription ${id} does not exist`, 404),
  deliveryNotFound: (id: string) => new DomainError('WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${id} does not exist`, 404),
  notOwnSubscription: (department: string) =>
    new ForbiddenError('NOT_OWN_SUBSCRIPTION', `the subscription belongs to another department than ${department}`),
  deliveryNotDead: (id: string, status: string) =>
    new DomainError('WEBHOOK_DELIVERY_NOT_DEAD', `delivery ${id} is ${status}: only a dead-lettered delivery is re-driven`, 409),
  /** The URL has the stated shape (http(s)://…) but no http(s) URL parser reads a host in it. */
  webhookUrlInvalid: () =>
    new DomainError('WEBHOOK_URL_INVALID', 'url: not an http(s) URL with a host (WHATWG URL parsing)', 422, {
      errors: [{ field: 'url', rule: 'isHttpUrl', message: 'url: not an http(s) URL with a host' }],
    }),
  unknownEventTypes: (types: string[]) =>
    new DomainError(
      'UNKNOWN_EVENT_TYPE',
      `eventTypes: ${types.join(', ')} ${types.length === 1 ? 'is' : 'are'} not in the event catalogue (/api/events)`,
      400,
    ),
};
