import type { CreditEntry, InspectionFact, PenaltyFact } from './credit-entry.entity';

/**
 * An entity's credit record as the public sees it: penalties and inspections in the order they
 * occurred. Correlation and event ids stay internal.
 */
export function creditRecordView(uscc: string, entries: CreditEntry[]) {
  const ordered = [...entries].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || Number(BigInt(a.id) - BigInt(b.id)),
  );
  return {
    uscc,
    penalties: ordered
      .filter((entry) => entry.kind === 'penalty')
      .map((entry) => ({ occurredAt: entry.occurredAt, ...(entry.detail as PenaltyFact) })),
    inspections: ordered
      .filter((entry) => entry.kind === 'inspection')
      .map((entry) => ({ occurredAt: entry.occurredAt, ...(entry.detail as InspectionFact) })),
    entries: ordered.length,
  };
}

export type CreditRecordView = ReturnType<typeof creditRecordView>;
