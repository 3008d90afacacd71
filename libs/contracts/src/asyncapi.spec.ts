import { asyncApiDocument } from './asyncapi';
import { EVENT_CATALOG } from './catalog';

describe('the AsyncAPI event catalogue', () => {
  const document = asyncApiDocument() as any;

  it('lists every event type with its payload schema, on its topic', () => {
    for (const eventClass of EVENT_CATALOG) {
      expect(document.components.messages[eventClass.name].name).toBe(eventClass.type);
      const channel = Object.values(document.channels).find((each: any) => each.address === eventClass.topic) as any;
      expect(channel.messages[eventClass.name]).toBeDefined();
      expect(document.components.schemas[eventClass.name].type).toBe('object');
    }
  });

  it('carries the validation rules into the schemas', () => {
    const approval = document.components.schemas.ApprovalDecidedV1;
    expect(approval.required).toEqual(expect.arrayContaining(['approvalId', 'uscc', 'regionCode', 'outcome']));
    expect(approval.properties.regionCode.pattern).toBe('^\\d{6}$');
    expect(approval.properties.outcome.enum).toEqual(['granted', 'refused']);
    expect(approval.properties.uscc.pattern).toBe('^[0-9A-HJ-NPQRTUWXY]{18}$');
    expect(document.components.schemas.PenaltyDecidedV1.properties.penalties.items.$ref).toBe('#/components/schemas/PenaltyV1');
  });
});
