import type { Type } from '@nestjs/common';
import { ENVELOPE_ATTRIBUTES, INTAKE_EVENT_CLASSES } from '@backbone/contracts';
import { inlineValidatorSchema } from '@backbone/platform';

/**
 * The attributes an intake event may carry: an envelope's (`ENVELOPE_ATTRIBUTES`) except `causationid`.
 * Anything else is refused (like an unknown field of a REST body).
 */
export const INTAKE_ATTRIBUTES = new Set(ENVELOPE_ATTRIBUTES.filter((attribute) => attribute !== 'causationid'));

/**
 * A structured-mode CloudEvent of one of the intake types, as the OpenAPI document states it: the
 * envelope's rules and, per type, the payload's schema generated from the same class the intake
 * validates it with. `subject`, when given, must be the payload's USCC (not statable in a schema; it is
 * left out here).
 */
export function intakeEventSchema(): Record<string, unknown> {
  return {
    oneOf: INTAKE_EVENT_CLASSES.map((eventClass) => ({
      type: 'object',
      title: eventClass.type,
      required: ['specversion', 'id', 'source', 'type', 'data'],
      additionalProperties: false,
      properties: {
        specversion: { type: 'string', enum: ['1.0'] },
        id: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$', description: 'Unique per source; id + source is the idempotency key' },
        source: {
          type: 'string',
          pattern: '^/departments/[A-Za-z0-9_-]{1,64}(/[A-Za-z0-9._~-]{1,64}){0,4}$',
          description: '/departments/<your department>[/…]',
        },
        type: { type: 'string', enum: [eventClass.type] },
        time: { type: 'string', format: 'date-time' },
        datacontenttype: { type: 'string', enum: ['application/json'] },
        correlationid: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' },
        data: {
          ...inlineValidatorSchema(eventClass as unknown as Type<unknown>),
          description: `The payload; its ${eventClass.senderField} must name your department`,
        },
      },
    })),
  };
}
