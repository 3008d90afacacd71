import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ApprovalDecidedV2, validatePayload, type RiskWarningLevel } from '@backbone/contracts';
import { testUscc } from '@backbone/testing';
import { decidedEvent, decidedEventValidByConstruction } from '../approval-publication.service';
import { decideApplication, type ApplicationFacts } from './application-decision';
import { DecideApprovalRequest } from './decide-approval.request.dto';
import { grantedLicenceRequest } from './decide-approval.request.fixture';

/**
 * The ingest writes `approval decided` without validating its payload again (ADR 0029): an approval
 * decided from a request that passed DecideApprovalRequest's rules makes a valid ApprovalDecidedV2.
 * Each row is a valid request at a boundary of those rules; the few the event's rules still refuse are
 * caught by `decidedEventValidByConstruction` and validated as before.
 */
const AT = new Date('2026-11-30T08:00:00Z');
const DEPARTMENT = '320700-APPROVAL';
const none: ApplicationFacts = { standing: null, redList: null, openCaseIds: [], warnings: [] };
const policy = { holdItems: new Set<string>(), noCommitmentLevels: new Set<RiskWarningLevel>(['orange', 'red']) };
const base: Record<string, unknown> = { ...grantedLicenceRequest(testUscc(7)) };

const VALID: Array<[string, Record<string, unknown>]> = [
  ['the least a grant needs', {}],
  [
    'every field at its longest',
    {
      applicationNumber: 'A'.repeat(64),
      entityName: '食'.repeat(200),
      itemCode: 'I'.repeat(64),
      licenceNumber: 'L'.repeat(64),
      delegation: { fromRegionCode: '320000', fromDepartment: 'D'.repeat(64) },
      entrustment: { entrustingDepartment: 'E'.repeat(64), agreement: '协'.repeat(200) },
    },
  ],
  ['every field at its shortest', { applicationNumber: 'A', entityName: '甲', itemCode: 'I', licenceNumber: 'L' }],
  ['a refusal without a licence number', { outcome: 'refused', licenceNumber: undefined }],
  ['a refusal that names a licence number anyway', { outcome: 'refused' }],
  ['a filing', { kind: 'filing', outcome: 'granted' }],
  ['a commitment', { kind: 'commitment' }],
  ['decidedAt with a fraction and an offset', { decidedAt: '2026-03-01T17:00:00.123456789+08:00' }],
  ['decidedAt in lower case, UTC', { decidedAt: '2026-03-01t09:00:00z' }],
  ['decidedAt at the first year with a positive offset', { decidedAt: '0001-01-01T00:00:00+23:59' }],
  ['decidedAt at the last year, UTC', { decidedAt: '9999-12-31T23:59:59Z' }],
  ['validUntil as a date', { validUntil: '2031-02-28' }],
  ['validUntil as a date-time', { validUntil: '2031-02-28T23:59:59-05:00' }],
  ['validUntil on a leap day', { validUntil: '2028-02-29' }],
];

function decided(fields: Record<string, unknown>, department = DEPARTMENT) {
  const plain = Object.fromEntries(Object.entries({ ...base, ...fields }).filter(([, value]) => value !== undefined));
  const request = plainToInstance(DecideApprovalRequest, plain);
  expect(validateSync(request, { whitelist: true, forbidNonWhitelisted: true })).toEqual([]);
  const decision = decideApplication(policy, department, request, none, AT);
  if (decision.refused) throw new Error('refused by the credit check');
  return decision.approval;
}

describe('approval decided, built from a valid request', () => {
  it.each(VALID)('is valid without validating it again: %s', (_name, fields) => {
    const approval = decided(fields);
    expect(decidedEventValidByConstruction(approval)).toBe(true);
    expect(validatePayload(ApprovalDecidedV2, decidedEvent(approval).data)).toEqual([]);
  });

  it.each([
    ['decidedAt past year 9999 once in UTC', { decidedAt: '9999-12-31T23:59:59-23:59' }, DEPARTMENT, 'decidedAt'],
    ['validUntil past year 9999 once in UTC', { validUntil: '9999-12-31T20:00:00-08:00' }, DEPARTMENT, 'validUntil'],
    ['a department name over 64 characters', {}, 'D'.repeat(65), 'approverDepartment'],
  ])('is validated where the request allows what the event refuses: %s', (_name, fields, department, field) => {
    const approval = decided(fields, department);
    expect(decidedEventValidByConstruction(approval)).toBe(false);
    expect(validatePayload(ApprovalDecidedV2, decidedEvent(approval).data).join('; ')).toContain(field);
  });
});
