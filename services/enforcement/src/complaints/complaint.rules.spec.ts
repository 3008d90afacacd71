import { ComplaintStatus } from './complaint.entity';
import { answerDeadline, COMPLAINT_TRANSITIONS, parseAnswerDays, reminderDueAt, repeatLink, transition } from './complaint.rules';

const days = parseAnswerDays('complaint=10,report=15,urgent=1');

describe('the complaint lifecycle (登记 → 转办 → 受理 → 答复)', () => {
  const complaint = (status: ComplaintStatus) => ({ id: 'c-1', status, answeredAt: status === 'answered' ? new Date() : null });

  it.each([
    ['transfer', 'registered', 'registered'],
    ['accept', 'registered', 'accepted'],
    ['open_case', 'registered', 'case_opened'],
    ['open_case', 'accepted', 'case_opened'],
    ['answer', 'accepted', 'answered'],
    ['answer', 'case_opened', 'answered'],
  ] as const)('%s from %s → %s', (action, from, to) => {
    expect(transition(complaint(from), action)).toBe(to);
  });

  it.each([
    ['transfer', 'accepted', 'COMPLAINT_NOT_REGISTERED'],
    ['accept', 'accepted', 'COMPLAINT_NOT_REGISTERED'],
    ['open_case', 'case_opened', 'COMPLAINT_NOT_REGISTERED'],
    ['answer', 'registered', 'COMPLAINT_NOT_ACCEPTED'],
    ['answer', 'answered', 'COMPLAINT_ALREADY_ANSWERED'],
    ['accept', 'answered', 'COMPLAINT_NOT_REGISTERED'],
  ] as const)('%s from %s is refused with %s', (action, from, code) => {
    expect(() => transition(complaint(from), action)).toThrow(expect.objectContaining({ code }));
  });

  it('every action leads to a state of the lifecycle', () => {
    for (const rule of Object.values(COMPLAINT_TRANSITIONS))
      expect(['registered', 'accepted', 'case_opened', 'answered']).toContain(rule.to);
  });
});

describe('answer deadlines in working days per kind', () => {
  it.each([
    // Monday 9 June 2025: + 10 working days = Monday 23 June
    ['complaint', '2025-06-09T02:00:00Z', '2025-06-23T23:59:59.999+08:00'],
    // Tuesday 30 September 2025: National Day off 1–8 October; 15 working days, counting Saturday 11 October (make-up day)
    ['report', '2025-09-30T02:00:00Z', '2025-10-28T23:59:59.999+08:00'],
    // urgent: the next working day; Friday 26 September 2025 → the make-up Sunday 28 September
    ['urgent', '2025-09-26T02:00:00Z', '2025-09-28T23:59:59.999+08:00'],
  ] as const)('%s registered %s → answer by %s', (kind, registeredAt, deadline) => {
    expect(answerDeadline(kind, new Date(registeredAt), days)).toEqual(new Date(deadline));
  });

  it('reminds from the start of the last working day before the deadline', () => {
    expect(reminderDueAt(new Date('2025-09-28T23:59:59.999+08:00'))).toEqual(new Date('2025-09-28T00:00:00+08:00'));
  });

  it('refuses a configuration that leaves a kind without its working days', () => {
    expect(() => parseAnswerDays('complaint=10,report=15,report=1')).toThrow(/urgent/);
  });
});

describe('repeat complaints about one entity', () => {
  const at = (iso: string) => new Date(iso);
  it('links to the earliest complaint within the window and counts the earlier ones', () => {
    const earlier = [
      { id: 'b', registeredAt: at('2026-05-01T00:00:00Z'), repeatOf: null },
      { id: 'a', registeredAt: at('2026-03-01T00:00:00Z'), repeatOf: null },
      { id: 'old', registeredAt: at('2025-12-01T00:00:00Z'), repeatOf: null },
    ];
    expect(repeatLink(earlier, at('2026-05-20T00:00:00Z'), 90)).toEqual({ repeatOf: 'a', repeatCount: 2 });
  });

  it('keeps a series together: the earliest in the window links to its own root', () => {
    expect(repeatLink([{ id: 'b', registeredAt: at('2026-05-01T00:00:00Z'), repeatOf: 'root' }], at('2026-05-02T00:00:00Z'), 90)).toEqual({
      repeatOf: 'root',
      repeatCount: 1,
    });
  });

  it('a first complaint (or one after a quiet window) repeats nothing', () => {
    expect(repeatLink([], at('2026-05-02T00:00:00Z'), 90)).toEqual({ repeatOf: null, repeatCount: 0 });
    expect(repeatLink([{ id: 'a', registeredAt: at('2026-01-01T00:00:00Z'), repeatOf: null }], at('2026-05-02T00:00:00Z'), 90)).toEqual({
      repeatOf: null,
      repeatCount: 0,
    });
  });
});
