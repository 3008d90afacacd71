import { randomUUID } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import { createEnvelope, EnvelopeError, parseEnvelope, plainlyConforming, validatePayload } from './envelope';
import { ApprovalDecidedV1 } from './events/approval-decided.v1';
import { PenaltyDecidedV1 } from './events/enforcement.v1';
import { EVENT_CATALOG, eventClassOf } from './catalog';

const USCC = '91350100M000100Y43';

function approvalDecided(): ApprovalDecidedV1 {
  return {
    approvalId: randomUUID(),
    version: 1,
    uscc: USCC,
    entityName: '测试有限公司',
    itemCode: 'FOOD-BUSINESS-LICENCE',
    regionCode: '350100',
    approverDepartment: '350100-APPROVAL',
    kind: 'licence',
    outcome: 'granted',
    decidedAt: '2026-11-20T08:00:00.000Z',
  };
}

describe('the event envelope', () => {
  it('is a CloudEvents 1.0 event with the USCC as subject and our two extensions', () => {
    const envelope = createEnvelope(ApprovalDecidedV1, {
      source: '/services/approval',
      subject: USCC,
      data: approvalDecided(),
      correlationId: 'c-1',
      causationId: 'e-0',
    });
    expect(envelope).toMatchObject({
      specversion: '1.0',
      type: 'backbone.approval.decided.v1',
      source: '/services/approval',
      subject: USCC,
      datacontenttype: 'application/json',
      correlationid: 'c-1',
      causationid: 'e-0',
    });
    expect(parseEnvelope(Buffer.from(JSON.stringify(envelope)))).toEqual(envelope);
  });

  it('refuses to create an event whose payload breaks its class', () => {
    expect(() =>
      createEnvelope(ApprovalDecidedV1, {
        source: '/x',
        subject: USCC,
        data: { ...approvalDecided(), regionCode: '35' },
        correlationId: 'c',
      }),
    ).toThrow(/regionCode/);
  });

  it.each([
    ['{not json', /not JSON/],
    ['[1,2]', /not a JSON object/],
    ['{"specversion":"1.0","id":"1","source":"/x","type":"t","subject":"' + USCC + '","data":{}}', /correlationid/],
    ['{"specversion":"0.3","id":"1","source":"/x","type":"t","subject":"' + USCC + '","correlationid":"c","data":{}}', /CloudEvents/],
    [
      '{"specversion":"1.0","id":"1","source":"/x","type":"t","subject":"91350100M000100Y44","correlationid":"c","data":{}}',
      /subject: must be a valid USCC \(check-character\)/,
    ],
  ])('refuses %s', (raw, reason) => {
    expect(() => parseEnvelope(Buffer.from(raw))).toThrow(EnvelopeError);
    expect(() => parseEnvelope(Buffer.from(raw))).toThrow(reason);
  });

  describe('checked without the CloudEvents SDK when it is plainly one of ours', () => {
    const ours = (): Record<string, unknown> => ({
      ...createEnvelope(ApprovalDecidedV1, {
        source: '/services/approval',
        subject: USCC,
        data: approvalDecided(),
        correlationId: 'c-1',
        causationId: 'e-0',
      }),
    });
    const sdkAccepts = (event: Record<string, unknown>): boolean => {
      try {
        new CloudEvent(event, true);
        return true;
      } catch {
        return false;
      }
    };
    // Each attribute at and past its boundaries: what the fast check accepts, the SDK must accept too.
    const variants: Array<[string, (event: Record<string, unknown>) => void]> = [
      ['as written', () => undefined],
      ['without causationid', (event) => delete event.causationid],
      ['without subject, time or datacontenttype', (event) => (delete event.subject, delete event.time, delete event.datacontenttype)],
      ['with data null', (event) => (event.data = null)],
      ['with data a string', (event) => (event.data = 'x')],
      ['with data an array', (event) => (event.data = [1, { a: 2 }])],
      ['with an empty correlationid', (event) => (event.correlationid = '')],
      ['with an empty causationid', (event) => (event.causationid = '')],
      ['with a one-segment source', (event) => (event.source = '/x')],
      ['with a relative source', (event) => (event.source = 'services/approval')],
      ['with a URI source', (event) => (event.source = 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66')],
      ['with an empty source', (event) => (event.source = '')],
      ['with a source with a space', (event) => (event.source = '/a b')],
      ['with an empty id', (event) => (event.id = '')],
      ['with a numeric id', (event) => (event.id = 7)],
      ['with an empty type', (event) => (event.type = '')],
      ['with an empty subject', (event) => (event.subject = '')],
      ['with a null subject', (event) => (event.subject = null)],
      ['with an empty datacontenttype', (event) => (event.datacontenttype = '')],
      ['with a time on 29 February of a leap year', (event) => (event.time = '2028-02-29T23:59:59.999Z')],
      ['with a time on 29 February of another year', (event) => (event.time = '2027-02-29T00:00:00.000Z')],
      ['with a time in year 0', (event) => (event.time = '0000-01-01T00:00:00.000Z')],
      ['with a time without milliseconds', (event) => (event.time = '2026-11-20T08:00:00Z')],
      ['with a time with an offset', (event) => (event.time = '2026-11-20T16:00:00.000+08:00')],
      ['with a time of hour 24', (event) => (event.time = '2026-11-20T24:00:00.000Z')],
      ['with a time past year 9999', (event) => (event.time = '+010000-01-01T00:00:00.000Z')],
      ['with a null time', (event) => (event.time = null)],
      ['with a numeric correlationid', (event) => (event.correlationid = 1)],
      ['with a null causationid', (event) => (event.causationid = null)],
      ['with an object causationid', (event) => (event.causationid = { a: 1 })],
      ['with another extension', (event) => (event.traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')],
      ['with an upper-case extension', (event) => (event.TraceParent = 'x')],
      ['with dataschema', (event) => (event.dataschema = 'https://example.org/schema')],
      ['with data_base64', (event) => (event.data_base64 = 'AAAA')],
      ['with specversion 0.3', (event) => (event.specversion = '0.3')],
    ];

    it.each(variants)('accepts only what the SDK accepts: %s', (_name, change) => {
      const event = ours();
      change(event);
      if (plainlyConforming(event)) expect(sdkAccepts(event)).toBe(true);
    });

    it('accepts what our producers write, and leaves the rest to the SDK with its answer', () => {
      const checked = variants.map(([name, change]) => {
        const event = ours();
        change(event);
        return [name, plainlyConforming(event)] as const;
      });
      expect(checked.filter(([, plain]) => plain).map(([name]) => name)).toEqual([
        'as written',
        'without causationid',
        'without subject, time or datacontenttype',
        'with data null',
        'with data a string',
        'with data an array',
        'with an empty correlationid',
        'with an empty causationid',
        'with a one-segment source',
        'with a time on 29 February of a leap year',
        'with a time in year 0',
      ]);
      // Refused by the SDK as before, with its message.
      const event = ours();
      event.source = '/a b';
      expect(() => parseEnvelope(Buffer.from(JSON.stringify(event)))).toThrow(/not a CloudEvents 1.0 event: invalid payload/);
      // Accepted by the SDK though not plainly ours: parsed as before.
      const traced = { ...ours(), traceparent: 'x' };
      expect(parseEnvelope(Buffer.from(JSON.stringify(traced)))).toEqual(traced);
    });
  });

  it('names each invalid payload field, nested ones dotted', () => {
    const problems = validatePayload(PenaltyDecidedV1, {
      caseId: randomUUID(),
      decisionId: randomUUID(),
      uscc: USCC,
      department: 'd',
      decisionNumber: 'n',
      penalties: [{ kind: 'flogging' }],
      decidedAt: 'yesterday',
      surplus: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^penalties\.0\.kind: /),
        expect.stringMatching(/^decidedAt: /),
        expect.stringMatching(/^surplus: /),
      ]),
    );
  });

  it('knows every type once, each on its own producer topic', () => {
    expect(new Set(EVENT_CATALOG.map((eventClass) => eventClass.type)).size).toBe(EVENT_CATALOG.length);
    for (const eventClass of EVENT_CATALOG) {
      expect(eventClass.type).toMatch(/^backbone\.[a-z]+\.[a-z-]+\.v\d+$/);
      expect(eventClass.topic).toBe(`backbone.${eventClass.type.split('.')[1]}.events`);
      expect(eventClassOf(eventClass.type)).toBe(eventClass);
    }
    expect(eventClassOf('backbone.approval.decided.v9')).toBeUndefined();
  });
});
