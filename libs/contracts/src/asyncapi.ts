// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { EVENT_CATALOG } from './catalog';
import { INTAKE_EVENT_CLASSES } from './events/integration.v1';
import { ALL_TOPICS } from './topics';
import { USCC_JSON_SCHEMA } from './uscc';

/** Where other agencies post events (through the gateway) and who may post which type. */
export interface IntakeDescription {
  /** e.g. `/integration/events` */
  path: string;
  /** CloudEvents type → departments allowed to send it. */
  rights: Record<string, readonly string[]>;
}

const ENVELOPE_SCHEMA = {
  type: 'object',
  description:
    'CloudEvents 1.0, structured mode (application/cloudevents+json). Kafka key = subject (the USCC; risk-warning:<id> for the events of a risk warning; inspection-plan:<id> and inspection-task:<id> for the events of a random-inspection plan or task).',
  required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'correlationid', 'data'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', description: 'Unique per event; consumers deduplicate on it' },
    source: { type: 'string', example: '/services/approval' },
    type: { type: 'string' },
    subject: {
      type: 'string',
      description:
        'USCC of the market entity; for the risk-warning events (raised, lifted): risk-warning:<warning id>; for plan-published: inspection-plan:<plan id>; for task-drawn: inspection-task:<task id>',
    },
    time: { type: 'string', format: 'date-time' },
    datacontenttype: { const: 'application/json' },
    correlationid: { type: 'string', description: "The approval's loop: every event of one loop carries it" },
    causationid: { type: 'string', description: 'The id of the event that caused this one' },
  },
};

/**
 * The event catalogue for other agencies, as an AsyncAPI 3.0 document generated from the same
 * class-validator classes every producer and consumer uses.
 */
export function asyncApiDocument(intake?: IntakeDescription): Record<string, unknown> {
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: {
      [ValidationTypes.CUSTOM_VALIDATION]: (meta) =>
        meta.constraints?.[0] === 'isUscc' || (meta as { name?: string }).name === 'isUscc' ? { ...USCC_JSON_SCHEMA } : {},
    },
  });
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const topic of ALL_TOPICS) {
    const carried = EVENT_CATALOG.filter((eventClass) => eventClass.topic === topic);
    const channelId = topic.replace(/\./g, '-');
    channels[channelId] = {
      address: topic,
      description: `Events published by the ${topic.split('.')[1]} service`,
      messages: Object.fromEntries(carried.map((eventClass) => [eventClass.name, { $ref: `#/components/messages/${eventClass.name}` }])),
    };
    operations[`publish-${channelId}`] = { action: 'send', channel: { $ref: `#/channels/${channelId}` } };
  }
  // The CloudEvents intake over HTTP: the events other agencies' systems may post, and who may post each.
  channels['integration-intake'] = {
    address: intake?.path ?? '/integration/events',
    title: 'CloudEvents intake (HTTP POST at the gateway: structured, binary or batch mode)',
    description:
      'Other agencies post these types with their API key (x-api-key). The sending department must be allowed the type ' +
      '(x-allowed-senders), `source` must be /departments/<its code>[/…], the payload field named by x-sender-field must name ' +
      'it too. `id` + `source` is the idempotency key. Accepted events are published on backbone.integration.events.',
    messages: Object.fromEntries(
      INTAKE_EVENT_CLASSES.map((eventClass) => [eventClass.name, { $ref: `#/components/messages/${eventClass.name}` }]),
    ),
    bindings: { http: { method: 'POST' } },
  };
  operations['receive-integration-intake'] = { action: 'receive', channel: { $ref: '#/channels/integration-intake' } };
  for (const eventClass of EVENT_CATALOG) {
    const intakeClass = INTAKE_EVENT_CLASSES.find((each) => each.type === eventClass.type);
    messages[eventClass.name] = {
      ...(intakeClass
        ? { 'x-sender-field': intakeClass.senderField, ...(intake ? { 'x-allowed-senders': intake.rights[intakeClass.type] ?? [] } : {}) }
        : {}),
      name: eventClass.type,
      title: eventClass.type,
      contentType: 'application/cloudevents+json',
      payload: {
        allOf: [
          { $ref: '#/components/schemas/CloudEventEnvelope' },
          { type: 'object', properties: { type: { const: eventClass.type }, data: { $ref: `#/components/schemas/${eventClass.name}` } } },
        ],
      },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Supervision backbone events',
      version: '1',
      description: 'Events of the double push / double loop between approval, supervision, enforcement and credit.',
    },
    defaultContentType: 'application/cloudevents+json',
    channels,
    operations,
    components: { schemas: { CloudEventEnvelope: ENVELOPE_SCHEMA, ...schemas }, messages },
  };
}
