import { CreditRules, listRule } from '../credit-rules/credit-rules.config';
import type { CommitmentFact, CreditEntry, InspectionFact, ListEntryFact } from '../credit-records/credit-entry.entity';
import { addMonths, CreditStanding, EntryState } from '../credit-records/credit-standing.rules';

/** Kinds of record entry a repair may be applied for. */
export const REPAIRABLE_KINDS = ['list_entry', 'penalty', 'commitment', 'inspection'] as const;

/** Only what records dishonesty can be repaired: not a compliant inspection nor a fulfilled commitment. */
export function isAdverse(entry: Pick<CreditEntry, 'kind' | 'detail'>): boolean {
  if (entry.kind === 'inspection') return (entry.detail as InspectionFact).result === 'non_compliant';
  if (entry.kind === 'commitment') return (entry.detail as CommitmentFact).outcome === 'breached';
  return (REPAIRABLE_KINDS as readonly string[]).includes(entry.kind);
}

export const REPAIR_CONDITIONS = ['minimum_publication_period', 'rectification_evidence', 'credit_commitment'] as const;
export type RepairCondition = (typeof REPAIR_CONDITIONS)[number];

export interface UnmetCondition {
  condition: RepairCondition;
  message: string;
  /** For the publication period: the earliest date a repair may be approved. */
  earliest?: string;
}

export interface RepairApplicationFacts {
  rectificationEvidence: string | null;
  commitment: string | null;
}

/**
 * What an approved repair of one entry covers, as of now: the entry itself; for a list entry, the fact
 * that triggered it; for a conduct fact, the active list entries it triggered. The list entries among
 * them leave their lists.
 */
export function repairScope(target: EntryState, standing: CreditStanding): { covered: EntryState[]; listExits: EntryState[] } {
  const byId = new Map(standing.states.map((state) => [state.entry.id, state]));
  const covered = new Map<string, EntryState>([[target.entry.id, target]]);
  if (target.entry.kind === 'list_entry') {
    const trigger = byId.get((target.entry.detail as ListEntryFact).triggerEntryId);
    if (trigger && !trigger.repairedBy && !trigger.invalidatedBy) covered.set(trigger.entry.id, trigger);
  } else {
    for (const active of standing.listEntries) {
      if (active.triggerEntryId === target.entry.id) {
        const state = byId.get(active.entryId);
        if (state) covered.set(state.entry.id, state);
      }
    }
  }
  const listExits = [...covered.values()].filter((state) => state.entry.kind === 'list_entry' && !state.exitedBy && !state.invalidatedBy);
  return { covered: [...covered.values()], listExits };
}

/**
 * The conditions of a repair (信用修复, 001 三(二)5), as data from the rules: the minimum publication
 * period has elapsed for every entry it covers (lists: their own minimum; other facts: the fact
 * minimum); rectification evidence is given; a credit commitment (信用承诺) is given.
 */
export function unmetRepairConditions(
  scope: { covered: EntryState[] },
  application: RepairApplicationFacts,
  now: Date,
  rules: CreditRules,
): UnmetCondition[] {
  const unmet: UnmetCondition[] = [];
  let earliest: Date | undefined;
  for (const state of scope.covered) {
    const months =
      state.entry.kind === 'list_entry'
        ? listRule(rules, (state.entry.detail as ListEntryFact).list).minimumMonthsBeforeRepair
        : rules.repair.factMinimumMonths;
    const from = addMonths(state.entry.occurredAt, months);
    if (from.getTime() > now.getTime() && (!earliest || from.getTime() > earliest.getTime())) earliest = from;
  }
  if (earliest) {
    unmet.push({
      condition: 'minimum_publication_period',
      message: `the minimum publication period has not elapsed: a repair may be approved from ${earliest.toISOString()}`,
      earliest: earliest.toISOString(),
    });
  }
  if (rules.repair.requireRectificationEvidence && !application.rectificationEvidence?.trim()) {
    unmet.push({ condition: 'rectification_evidence', message: 'no rectification evidence was given with the application' });
  }
  if (rules.repair.requireCommitment && !application.commitment?.trim()) {
    unmet.push({ condition: 'credit_commitment', message: 'no credit commitment (信用承诺) was given with the application' });
  }
  return unmet;
}
