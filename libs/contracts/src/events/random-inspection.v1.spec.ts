import { createEnvelope, parseEnvelope, validatePayload } from '../envelope';
import {
  inspectionPlanSubject,
  InspectionPlanPublishedV1,
  InspectionResultPublishedV1,
  inspectionTaskSubject,
  InspectionTaskDrawnV1,
} from './random-inspection.v1';

const COMPANY = '91320700MA1MXXK01L';
const TASK = '0f6c2b7e-3d1a-4c5e-8f9a-1b2c3d4e5f60';
const PLAN = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
const counts = { A: 1, B: 2, C: 0, D: 1, K: 1 };
const drawn: InspectionTaskDrawnV1 = {
  inspectionTaskId: TASK,
  taskReference: 'LYG-2026-001',
  title: '餐饮服务单位联合抽查',
  leadDepartment: '320700-SAMR',
  departments: ['320700-SAMR', '320700-HEALTH'],
  round: 1,
  drawnAt: '2026-03-02T02:00:00.000Z',
  checkDeadline: '2026-03-30T15:59:59.999Z',
  poolByStratum: { A: 10, B: 20, C: 5, D: 2, K: 3 },
  drawnByStratum: counts,
  registerEntities: 1000,
  registerKeyEntities: 40,
};

/** The bookkeeping events of random inspection (ADR 0041): plans and tasks are keyed by themselves, results by the entity. */
describe('random-inspection events', () => {
  const envelope = (type: typeof InspectionTaskDrawnV1 | typeof InspectionPlanPublishedV1, subject: string, data: object) =>
    JSON.stringify(
      createEnvelope(type as typeof InspectionTaskDrawnV1, {
        source: '/services/inspection',
        subject,
        data: data as InspectionTaskDrawnV1,
        correlationId: TASK,
      }),
    );

  it('keys a draw by its task and a plan by itself, and refuses a USCC there', () => {
    expect(parseEnvelope(envelope(InspectionTaskDrawnV1, inspectionTaskSubject(TASK), drawn)).subject).toBe(`inspection-task:${TASK}`);
    expect(() => parseEnvelope(envelope(InspectionTaskDrawnV1, COMPANY, drawn))).toThrow(/subject: must be inspection-task:<task id>/);
    expect(() => parseEnvelope(envelope(InspectionTaskDrawnV1, inspectionPlanSubject(PLAN), drawn))).toThrow(/inspection-task:<task id>/);
    const plan = { planId: PLAN, department: '320700-SAMR', year: 2026, title: '年度计划', publishedAt: '2026-01-05T01:00:00.000Z' };
    expect(parseEnvelope(envelope(InspectionPlanPublishedV1, inspectionPlanSubject(PLAN), plan)).subject).toBe(`inspection-plan:${PLAN}`);
  });

  it('keeps a result’s events keyed by the entity: a task subject there is refused', () => {
    const published = createEnvelope(InspectionResultPublishedV1, {
      source: '/services/inspection',
      subject: inspectionTaskSubject(TASK),
      correlationId: TASK,
      data: {
        resultId: PLAN,
        inspectionTaskId: TASK,
        uscc: COMPANY,
        department: '320700-SAMR',
        publishBy: '2026-04-01T15:59:59.999Z',
        publishedAt: '2026-03-03T01:00:00.000Z',
      },
    });
    expect(() => parseEnvelope(JSON.stringify(published))).toThrow(/subject: must be a valid USCC/);
  });

  it('names every stratum of the pool and the list: a missing or negative count is refused', () => {
    expect(validatePayload(InspectionTaskDrawnV1, drawn)).toEqual([]);
    const { K: _key, ...withoutKey } = counts;
    expect(validatePayload(InspectionTaskDrawnV1, { ...drawn, drawnByStratum: withoutKey }).join()).toMatch(/K/);
    expect(validatePayload(InspectionTaskDrawnV1, { ...drawn, poolByStratum: { ...counts, A: -1 } }).join()).toMatch(/A/);
  });
});
