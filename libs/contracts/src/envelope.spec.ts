import { randomUUID } from 'node:crypto';
import { createEnvelope, EnvelopeError, parseEnvelope, validatePayload } from './envelope';
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
