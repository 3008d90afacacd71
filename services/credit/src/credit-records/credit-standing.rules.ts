import { CREDIT_TIERS, CreditList, CreditTier, JointPunishmentMeasure, RedListIncentive } from '@backbone/contracts';
import { CreditRules, DEFAULT_RED_LIST_RULE, listRule } from '../credit-rules/credit-rules.config';
import type {
  CommitmentFact,
  CorrectionFact,
  CreditEntry,
  CreditEntryKind,
  InspectionFact,
  ListEntryFact,
  ListExitFact,
  PenaltyFact,
  RepairFact,
} from './credit-entry.entity';

/** The facts the standing is computed from (a CreditEntry, or what the record is about to hold). */
export type Fact = Pick<CreditEntry, 'id' | 'kind' | 'occurredAt' | 'detail'> & Partial<Pick<CreditEntry, 'sourceEventId' | 'recordedAt'>>;

export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

export function worseTier(a: CreditTier, b: CreditTier): CreditTier {
  return CREDIT_TIERS.indexOf(a) >= CREDIT_TIERS.indexOf(b) ? a : b;
}

/** A new list entry a fact calls for. */
export interface ListEntryCall {
  list: CreditList;
  ruleId: string;
  reason: string;
}

/** The list entry rules (as data) applied to one new conduct fact. */
export function listEntriesFor(kind: CreditEntryKind, detail: Fact['detail'], rules: CreditRules): ListEntryCall[] {
  const calls: ListEntryCall[] = [];
  for (const rule of rules.listEntry) {
    let reason: string | undefined;
    if (kind === 'penalty' && rule.when === 'penalty_kind') {
      const hit = (detail as PenaltyFact).penalties.find((penalty) => rule.penaltyKinds?.includes(penalty.kind));
      if (hit) reason = `penalty ${(detail as PenaltyFact).decisionNumber}: ${hit.kind}`;
    } else if (kind === 'penalty' && rule.when === 'fine_at_least') {
      const hit = (detail as PenaltyFact).penalties.find(
        (penalty) => (penalty.kind === 'fine' || penalty.kind === 'confiscation') && (penalty.amount ?? 0) >= (rule.amount ?? Infinity),
      );
      if (hit) reason = `penalty ${(detail as PenaltyFact).decisionNumber}: ${hit.kind} of ${hit.amount} yuan (threshold ${rule.amount})`;
    } else if (kind === 'commitment' && rule.when === 'commitment_breached') {
      const commitment = detail as CommitmentFact;
      if (commitment.outcome === 'breached')
        reason = `commitment breached (${commitment.itemCode}, verification ${commitment.verificationId})`;
    } else if (kind === 'inspection' && rule.when === 'inspection_violation') {
      const inspection = detail as InspectionFact;
      const hit =
        inspection.result === 'non_compliant' && inspection.violations.find((violation) => rule.violationCodes?.includes(violation.code));
      if (hit) reason = `inspection ${inspection.inspectionId}: ${hit.code}`;
    } else if (kind === 'inspection' && rule.when === 'inspection_category') {
      const inspection = detail as InspectionFact;
      if (inspection.category && rule.categories?.includes(inspection.category)) {
        reason = `inspection ${inspection.inspectionId} by ${inspection.department}: ${inspection.category}`;
      }
    }
    if (reason && !calls.some((call) => call.list === rule.list)) calls.push({ list: rule.list, ruleId: rule.id, reason });
  }
  return calls;
}

/** Points a conduct fact adds, and the tier it forces by itself. */
export function factWeight(kind: CreditEntryKind, detail: Fact['detail'], rules: CreditRules): { points: number; forcesTier?: CreditTier } {
  if (kind === 'penalty') {
    let points = 0;
    let forcesTier: CreditTier | undefined;
    for (const penalty of (detail as PenaltyFact).penalties) {
      const rule = rules.penaltyPoints.find((candidate) => candidate.kind === penalty.kind);
      points += rule?.points ?? 0;
      if (rule?.forcesTier) forcesTier = forcesTier ? worseTier(forcesTier, rule.forcesTier) : rule.forcesTier;
    }
    return forcesTier ? { points, forcesTier } : { points };
  }
  if (kind === 'inspection')
    return { points: (detail as InspectionFact).result === 'non_compliant' ? rules.nonCompliantInspectionPoints : 0 };
  if (kind === 'commitment') return { points: (detail as CommitmentFact).outcome === 'breached' ? rules.commitmentBreachPoints : 0 };
  return { points: 0 };
}

/** What later facts did to an entry, as of a date. */
export interface EntryState {
  entry: Fact;
  /** Invalidated by an upheld objection (the correction entry). */
  invalidatedBy?: Fact;
  /** Covered by an approved repair (the repair entry). */
  repairedBy?: Fact;
  /** For a list entry: the exit. */
  exitedBy?: Fact;
  /** For a conduct fact: points it adds now (0 when invalidated, repaired or too old). */
  points: number;
  forcesTier?: CreditTier;
}

export interface ActiveListEntry {
  list: CreditList;
  entryId: string;
  since: Date;
  ruleId: string;
  reason: string;
  triggerEntryId: string;
  measures: JointPunishmentMeasure[];
}

export interface StandingReason {
  entryId: string;
  kind: CreditEntryKind;
  description: string;
  sourceEventId?: string;
}

export interface CreditStanding {
  asOf: Date;
  tier: CreditTier;
  score: number;
  lists: CreditList[];
  listEntries: ActiveListEntry[];
  measures: JointPunishmentMeasure[];
  /** The facts that produced the tier and lists: active list entries, then counted facts. */
  reasons: StandingReason[];
  states: EntryState[];
  /** The red list (守信激励, docs/domain.md §6): whether the entity is on it, why (or why not), its incentives. */
  redList: RedListStanding;
}

export interface RedListStanding {
  onRedList: boolean;
  reason: string;
  incentives: RedListIncentive[];
}

/**
 * The red list as a pure rule on a standing (see RedListRule): tier A, no list, nothing counted, no
 * penalty, breach or non-compliant inspection within the clean period (repaired ones count: the list
 * rewards a clean record, not a repaired one), and enough compliant inspections within it.
 */
export function redListStanding(
  standing: Pick<CreditStanding, 'asOf' | 'tier' | 'lists' | 'score' | 'states'>,
  rules: CreditRules,
): RedListStanding {
  const rule = rules.redList ?? DEFAULT_RED_LIST_RULE;
  const not = (reason: string): RedListStanding => ({ onRedList: false, reason, incentives: [] });
  if (standing.tier !== 'A' || standing.lists.length > 0 || standing.score > 0) {
    return not(
      `tier ${standing.tier}${standing.lists.length > 0 ? `, on ${standing.lists.join(', ')}` : ''}: the red list needs tier A and no list`,
    );
  }
  const since = addMonths(standing.asOf, -rule.cleanMonths).getTime();
  const recent = standing.states.filter((state) => !state.invalidatedBy && state.entry.occurredAt.getTime() > since);
  const blemish = recent.find(
    ({ entry }) =>
      entry.kind === 'penalty' ||
      (entry.kind === 'commitment' && (entry.detail as CommitmentFact).outcome === 'breached') ||
      (entry.kind === 'inspection' && (entry.detail as InspectionFact).result === 'non_compliant'),
  );
  if (blemish)
    return not(`a ${blemish.entry.kind} on ${blemish.entry.occurredAt.toISOString().slice(0, 10)} within ${rule.cleanMonths} months`);
  const compliant = recent.filter(
    ({ entry }) => entry.kind === 'inspection' && (entry.detail as InspectionFact).result === 'compliant',
  ).length;
  if (compliant < rule.minimumCompliantInspections) {
    return not(
      `${compliant} compliant inspection(s) within ${rule.cleanMonths} months; the red list needs ${rule.minimumCompliantInspections}`,
    );
  }
  return {
    onRedList: true,
    reason: `tier A, no list, no penalty, breach or failed inspection and ${compliant} compliant inspection(s) within ${rule.cleanMonths} months`,
    incentives: [...rule.incentives],
  };
}

function describe(entry: Fact, state: EntryState): string {
  const detail = entry.detail;
  switch (entry.kind) {
    case 'penalty': {
      const penalty = detail as PenaltyFact;
      const kinds = penalty.penalties.map((p) => (p.amount !== undefined ? `${p.kind} ${p.amount}` : p.kind)).join(', ');
      return `penalty ${penalty.decisionNumber} by ${penalty.department}: ${kinds} (+${state.points}${state.forcesTier ? `, forces ${state.forcesTier}` : ''})`;
    }
    case 'inspection':
      return `inspection ${(detail as InspectionFact).inspectionId} by ${(detail as InspectionFact).department}: ${(detail as InspectionFact).result} (+${state.points})`;
    case 'commitment':
      return `commitment ${(detail as CommitmentFact).itemCode} ${(detail as CommitmentFact).outcome} (+${state.points})`;
    case 'list_entry':
      return `on the ${(detail as ListEntryFact).list} list since ${entry.occurredAt.toISOString().slice(0, 10)} by rule ${(detail as ListEntryFact).ruleId}: ${(detail as ListEntryFact).reason}`;
    default:
      return entry.kind;
  }
}

/**
 * The standing the facts give as of a date: which facts were valid then, which counted, the lists
 * and their measures, and the tier. Pure: the same facts, rules and date always give the same answer.
 *
 * - A fact is part of the record as of D when it occurred on or before D (valid time) and, when
 *   `knownAt` is given, was recorded by then (transaction time): "what did we know on K about D".
 * - It is invalid from the date of an upheld objection's correction; repaired from the date of an
 *   approved repair; a list entry ends at its exit. Both the fact and what ended it stay in the history.
 * - Score: points of the valid, unrepaired conduct facts within the look-back period.
 * - Tier: by thresholds, made worse by a fact that forces a tier and by each list's `tierAtLeast`.
 */
export function creditStanding(all: readonly Fact[], asOf: Date, rules: CreditRules, knownAt?: Date): CreditStanding {
  const facts = all
    .filter((entry) => entry.occurredAt.getTime() <= asOf.getTime())
    .filter((entry) => !knownAt || !entry.recordedAt || entry.recordedAt.getTime() <= knownAt.getTime())
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || Number(BigInt(a.id) - BigInt(b.id)));
  const invalidated = new Map<string, Fact>();
  const repaired = new Map<string, Fact>();
  const exited = new Map<string, Fact>();
  for (const entry of facts) {
    if (entry.kind === 'correction') invalidated.set((entry.detail as CorrectionFact).invalidatedEntryId, entry);
    if (entry.kind === 'repair')
      for (const id of (entry.detail as RepairFact).coveredEntryIds) if (!repaired.has(id)) repaired.set(id, entry);
    if (entry.kind === 'list_exit') exited.set((entry.detail as ListExitFact).listEntryId, entry);
  }
  const lookbackStart = addMonths(asOf, -rules.lookbackMonths).getTime();
  const states: EntryState[] = facts.map((entry) => {
    const state: EntryState = { entry, points: 0 };
    const invalidatedBy = invalidated.get(entry.id);
    const repairedBy = repaired.get(entry.id);
    const exitedBy = exited.get(entry.id);
    if (invalidatedBy) state.invalidatedBy = invalidatedBy;
    if (repairedBy) state.repairedBy = repairedBy;
    if (exitedBy) state.exitedBy = exitedBy;
    if (!invalidatedBy && !repairedBy && entry.occurredAt.getTime() > lookbackStart) {
      const weight = factWeight(entry.kind, entry.detail, rules);
      state.points = weight.points;
      if (weight.forcesTier) state.forcesTier = weight.forcesTier;
    }
    return state;
  });

  const listEntries: ActiveListEntry[] = states
    .filter((state) => state.entry.kind === 'list_entry' && !state.exitedBy && !state.invalidatedBy)
    .map(({ entry }) => {
      const detail = entry.detail as ListEntryFact;
      return {
        list: detail.list,
        entryId: entry.id,
        since: entry.occurredAt,
        ruleId: detail.ruleId,
        reason: detail.reason,
        triggerEntryId: detail.triggerEntryId,
        measures: listRule(rules, detail.list).measures,
      };
    });
  const lists = [...new Set(listEntries.map((entry) => entry.list))].sort();
  const measures = [...new Set(lists.flatMap((list) => listRule(rules, list).measures))].sort();

  const score = states.reduce((sum, state) => sum + state.points, 0);
  let tier: CreditTier = rules.tiers.find((threshold) => score <= threshold.maxPoints)?.tier ?? 'D';
  for (const state of states) if (state.forcesTier) tier = worseTier(tier, state.forcesTier);
  for (const list of lists) tier = worseTier(tier, listRule(rules, list).tierAtLeast);

  const byId = new Map(states.map((state) => [state.entry.id, state]));
  const reason = (state: EntryState): StandingReason => {
    // A list entry names the event of the fact that triggered it.
    const source = state.entry.kind === 'list_entry' ? byId.get((state.entry.detail as ListEntryFact).triggerEntryId)?.entry : state.entry;
    return {
      entryId: state.entry.id,
      kind: state.entry.kind,
      description: describe(state.entry, state),
      ...(source?.sourceEventId ? { sourceEventId: source.sourceEventId } : {}),
    };
  };
  const reasons = [
    ...states.filter((state) => listEntries.some((entry) => entry.entryId === state.entry.id)).map(reason),
    ...states.filter((state) => state.points > 0 || state.forcesTier).map(reason),
  ];
  const redList = redListStanding({ asOf, tier, score, lists, states }, rules);
  return { asOf, tier, score, lists, listEntries, measures, reasons, states, redList };
}

/** Whether a conduct fact is still published (公示期) as of a date: valid, unrepaired, within the period. */
export function isPublished(state: EntryState, asOf: Date, rules: CreditRules): boolean {
  if (state.invalidatedBy || state.repairedBy) return false;
  return addMonths(state.entry.occurredAt, rules.publicationMonths).getTime() > asOf.getTime();
}

/**
 * When time alone may next change the standing computed as of `asOf`: the earliest moment a counted
 * fact leaves the look-back period, or a fact dated after `asOf` takes effect (a correction effective
 * later). Null when nothing is pending: only a new fact can change the standing then.
 */
export function nextReviewAt(all: readonly Fact[], standing: CreditStanding, rules: CreditRules): Date | null {
  const asOf = standing.asOf.getTime();
  const moments: number[] = [];
  for (const state of standing.states) {
    if (state.points > 0 || state.forcesTier) moments.push(addMonths(state.entry.occurredAt, rules.lookbackMonths).getTime());
  }
  for (const entry of all) if (entry.occurredAt.getTime() > asOf) moments.push(entry.occurredAt.getTime());
  moments.push(...redListMoments(standing, rules));
  const next = moments.filter((moment) => moment > asOf);
  return next.length > 0 ? new Date(Math.min(...next)) : null;
}

/**
 * When time alone may move the entity onto or off the red list: on it, when the compliant inspections
 * that carry it fall below the minimum; off it only for a penalty, breach or failed inspection of the
 * clean period (tier A, no list), when the last of those leaves the period.
 */
function redListMoments(standing: CreditStanding, rules: CreditRules): number[] {
  const rule = rules.redList ?? DEFAULT_RED_LIST_RULE;
  if (standing.tier !== 'A' || standing.lists.length > 0 || standing.score > 0) return [];
  const since = addMonths(standing.asOf, -rule.cleanMonths).getTime();
  const recent = standing.states.filter((state) => !state.invalidatedBy && state.entry.occurredAt.getTime() > since);
  const ageOut = (state: EntryState) => addMonths(state.entry.occurredAt, rule.cleanMonths).getTime();
  if (standing.redList.onRedList) {
    const compliant = recent
      .filter(({ entry }) => entry.kind === 'inspection' && (entry.detail as InspectionFact).result === 'compliant')
      .sort((a, b) => b.entry.occurredAt.getTime() - a.entry.occurredAt.getTime());
    const carrying = compliant[rule.minimumCompliantInspections - 1];
    return carrying ? [ageOut(carrying)] : [];
  }
  const blemishes = recent.filter(
    ({ entry }) =>
      entry.kind === 'penalty' ||
      (entry.kind === 'commitment' && (entry.detail as CommitmentFact).outcome === 'breached') ||
      (entry.kind === 'inspection' && (entry.detail as InspectionFact).result === 'non_compliant'),
  );
  return blemishes.length > 0 ? [Math.max(...blemishes.map(ageOut))] : [];
}
