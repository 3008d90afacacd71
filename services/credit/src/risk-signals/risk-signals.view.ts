import type { ComplaintSignal } from './complaint-signal.entity';

/** Complaints about the entity in the 12 months before `asOf`: how many, of what kind, how many repeats. */
export function complaintRiskSignal(signals: readonly ComplaintSignal[], asOf: Date) {
  const from = new Date(asOf.getTime());
  from.setUTCMonth(from.getUTCMonth() - 12);
  const recent = signals.filter((signal) => signal.registeredAt > from && signal.registeredAt <= asOf);
  const byKind: Record<string, number> = {};
  for (const signal of recent) byKind[signal.kind] = (byKind[signal.kind] ?? 0) + 1;
  return {
    last12Months: recent.length,
    repeats: recent.filter((signal) => signal.repeatOf !== null).length,
    byKind,
    lastAt: recent.length > 0 ? recent[recent.length - 1].registeredAt : null,
  };
}
