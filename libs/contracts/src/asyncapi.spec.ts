import { asyncApiDocument } from './asyncapi';
import { EVENT_CATALOG } from './catalog';
import { HotlineComplaintReceivedV1, INTAKE_EVENT_CLASSES } from './events/integration.v1';

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

  it('describes the CloudEvents intake: its types, the field naming the sender and, at the intake, who may send each', () => {
    const intake = asyncApiDocument({
      path: '/integration/events',
      rights: { [HotlineComplaintReceivedV1.type]: ['320700-HOTLINE'] },
    }) as any;
    const channel = intake.channels['integration-intake'];
    expect(channel.address).toBe('/integration/events');
    expect(Object.keys(channel.messages)).toEqual(INTAKE_EVENT_CLASSES.map((eventClass) => eventClass.name));
    expect(intake.components.messages.HotlineComplaintReceivedV1).toMatchObject({
      'x-sender-field': 'hotlineDepartment',
      'x-allowed-senders': ['320700-HOTLINE'],
    });
    expect(intake.components.messages.SectorApprovalDecidedV1['x-allowed-senders']).toEqual([]);
    expect(document.components.messages.SectorApprovalDecidedV1['x-allowed-senders']).toBeUndefined();
  });
});
