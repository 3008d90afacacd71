import type { Complaint } from './complaint.entity';

/**
 * A complaint as its handling department (and operators) see it: everything but the intake digest,
 * with whether it is overdue and how many days it has waited (until answered).
 */
export function complaintView(complaint: Complaint, now = new Date()) {
  const { intakeDigest: _digest, intakeKey: _key, ...rest } = complaint;
  const end = complaint.answeredAt ?? now;
  return {
    ...rest,
    overdue: end.getTime() > complaint.answerDeadline.getTime(),
    daysWaiting: Math.floor((end.getTime() - complaint.registeredAt.getTime()) / 86_400_000),
  };
}
