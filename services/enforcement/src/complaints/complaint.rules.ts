import { COMPLAINT_KINDS, ComplaintKind } from '@backbone/contracts';
import { workingDayDeadline } from '@backbone/platform';
import { ComplaintErrors } from './complaint.errors';
import type { Complaint, ComplaintStatus } from './complaint.entity';

/**
 * The complaint lifecycle as one table (001 三(二)6: 登记、转办、督办、答复): each action, the states it
 * is allowed from, and the state it leads to.
 */
export const COMPLAINT_TRANSITIONS = {
  /** To the competent department, before it is accepted; the deadline runs on from registration. */
  transfer: { from: ['registered'], to: 'registered' },
  /** The handling department takes it on (受理). */
  accept: { from: ['registered'], to: 'accepted' },
  /** A case is opened on it; opening a case accepts it. */
  open_case: { from: ['registered', 'accepted'], to: 'case_opened' },
  /** The complainant is answered (答复), once, after acceptance. */
  answer: { from: ['accepted', 'case_opened'], to: 'answered' },
} as const satisfies Record<string, { from: readonly ComplaintStatus[]; to: ComplaintStatus }>;
export type ComplaintAction = keyof typeof COMPLAINT_TRANSITIONS;

/** Applies one action's state change; refuses it, naming the state and what it needs, when not allowed. */
export function transition(complaint: Pick<Complaint, 'id' | 'status' | 'answeredAt'>, action: ComplaintAction): ComplaintStatus {
  const rule = COMPLAINT_TRANSITIONS[action];
  if (complaint.status === 'answered' && action === 'answer') throw ComplaintErrors.alreadyAnswered(complaint.id, complaint.answeredAt);
  if (!(rule.from as readonly ComplaintStatus[]).includes(complaint.status))
    throw ComplaintErrors.transitionRefused(complaint.id, action, complaint.status, rule.from);
  return rule.to;
}

/** The answer deadline of a complaint of a kind registered at an instant: the end (China time) of its n-th working day (holidays off, make-up days on). */
export function answerDeadline(kind: ComplaintKind, registeredAt: Date, days: Record<ComplaintKind, number>): Date {
  return workingDayDeadline(registeredAt, days[kind]);
}

/** The reminder is due from the start (00:00 China time) of the last working day before the deadline. */
export function reminderDueAt(deadline: Date): Date {
  return new Date(deadline.getTime() - (24 * 3600_000 - 1));
}

/** Parses `complaint=10,report=15,urgent=1` (every kind named once, whole working days ≥ 1). */
export function parseAnswerDays(value: string): Record<ComplaintKind, number> {
  const days: Partial<Record<ComplaintKind, number>> = {};
  for (const pair of value.split(',')) {
    const [kind, count] = pair.split('=');
    days[kind as ComplaintKind] = Number(count);
  }
  for (const kind of COMPLAINT_KINDS) if (!days[kind]) throw new Error(`COMPLAINT_ANSWER_WORKING_DAYS: names no working days for ${kind}`);
  return days as Record<ComplaintKind, number>;
}

/**
 * Repeat complaints about one entity (重复投诉): the earlier complaints registered within the window
 * before this one. The new complaint links to the earliest of them (the root of the series) and counts them.
 */
export function repeatLink(
  earlier: ReadonlyArray<Pick<Complaint, 'id' | 'registeredAt' | 'repeatOf'>>,
  registeredAt: Date,
  windowDays: number,
): { repeatOf: string | null; repeatCount: number } {
  const from = registeredAt.getTime() - windowDays * 86_400_000;
  const within = earlier
    .filter((each) => each.registeredAt.getTime() >= from && each.registeredAt.getTime() <= registeredAt.getTime())
    .sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || a.id.localeCompare(b.id));
  if (within.length === 0) return { repeatOf: null, repeatCount: 0 };
  return { repeatOf: within[0].repeatOf ?? within[0].id, repeatCount: within.length };
}
