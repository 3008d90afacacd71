import type { CreditRules } from '../credit-rules/credit-rules.config';
import type { CreditRepair } from '../credit-repairs/credit-repair.entity';
import type { CreditObjection } from '../credit-objections/credit-objection.entity';
import type { CommitmentFact, InspectionFact, LicenceStatusFact, PenaltyFact } from './credit-entry.entity';
import { CreditStanding, EntryState, isPublished } from './credit-standing.rules';

/**
 * An entity's credit record as the public sees it (公示): the lists it is on with their measures, and
 * the conduct facts still within their publication period (licence suspensions and revocations too), neither invalidated nor repaired, in the
 * order they occurred. No free text (reasons, findings, violation descriptions may name persons), no
 * internal ids of events or correlations, no tier (an internal supervision instrument).
 */
export function publicCreditRecordView(uscc: string, standing: CreditStanding, rules: CreditRules) {
  const published = standing.states.filter(
    (state) => ['penalty', 'inspection', 'commitment'].includes(state.entry.kind) && isPublished(state, standing.asOf, rules),
  );
  const of = (kind: string) => published.filter((state) => state.entry.kind === kind);
  return {
    uscc,
    asOf: standing.asOf,
    lists: standing.lists,
    measures: standing.measures,
    listEntries: standing.listEntries.map((entry) => ({ list: entry.list, since: entry.since, measures: entry.measures })),
    /** 守信激励 (红名单公示): on the red list, and the incentives it brings. */
    redList: { onRedList: standing.redList.onRedList, incentives: standing.redList.incentives },
    penalties: of('penalty').map(({ entry }) => {
      const detail = entry.detail as PenaltyFact;
      return {
        entryId: entry.id,
        occurredAt: entry.occurredAt,
        decisionNumber: detail.decisionNumber,
        department: detail.department,
        penalties: detail.penalties,
        licenceAction: detail.licenceAction
          ? { action: detail.licenceAction.action, ...(detail.licenceAction.until ? { until: detail.licenceAction.until } : {}) }
          : null,
      };
    }),
    inspections: of('inspection').map(({ entry }) => {
      const detail = entry.detail as InspectionFact;
      return {
        entryId: entry.id,
        occurredAt: entry.occurredAt,
        department: detail.department,
        result: detail.result,
        violations: detail.violations.map(({ code }) => ({ code })),
      };
    }),
    commitments: of('commitment').map(({ entry }) => {
      const detail = entry.detail as CommitmentFact;
      return {
        entryId: entry.id,
        occurredAt: entry.occurredAt,
        itemCode: detail.itemCode,
        department: detail.department,
        outcome: detail.outcome,
      };
    }),
    licenceStatusChanges: standing.states
      .filter(
        (state) =>
          state.entry.kind === 'licence_status' &&
          ['suspended', 'revoked'].includes((state.entry.detail as LicenceStatusFact).to) &&
          isPublished(state, standing.asOf, rules),
      )
      .map(({ entry }) => {
        const detail = entry.detail as LicenceStatusFact;
        return {
          entryId: entry.id,
          occurredAt: entry.occurredAt,
          ...(detail.licenceNumber ? { licenceNumber: detail.licenceNumber } : {}),
          from: detail.from,
          to: detail.to,
          ...(detail.until ? { until: detail.until } : {}),
        };
      }),
    entries: published.length,
  };
}

function entryView(state: EntryState) {
  const ended = state.invalidatedBy ?? state.repairedBy ?? state.exitedBy;
  return {
    id: state.entry.id,
    kind: state.entry.kind,
    occurredAt: state.entry.occurredAt,
    ...(state.entry.recordedAt ? { recordedAt: state.entry.recordedAt } : {}),
    validFrom: state.entry.occurredAt,
    validTo: ended ? ended.occurredAt : null,
    endedBy: ended ? { entryId: ended.id, kind: ended.kind } : null,
    points: state.points,
    ...(state.forcesTier ? { forcesTier: state.forcesTier } : {}),
    detail: state.entry.detail,
  };
}

/**
 * The full record for authenticated departments (逢办必查): tier with the facts that produced it,
 * lists and measures, every entry with its validity (both an invalidated entry and its correction
 * stay), repairs and objections.
 */
export function fullCreditRecordView(uscc: string, standing: CreditStanding, repairs: CreditRepair[], objections: CreditObjection[]) {
  const ofKind = (kind: string) => standing.states.filter((state) => state.entry.kind === kind);
  return {
    uscc,
    asOf: standing.asOf,
    tier: standing.tier,
    score: standing.score,
    lists: standing.lists,
    measures: standing.measures,
    listEntries: standing.listEntries,
    redList: standing.redList,
    fundingEligibility: fundingEligibility(standing),
    reasons: standing.reasons,
    penalties: ofKind('penalty').map(entryView),
    inspections: ofKind('inspection').map(entryView),
    commitments: ofKind('commitment').map(entryView),
    caseClosures: ofKind('case_closure').map(entryView),
    licenceStatusChanges: ofKind('licence_status').map(entryView),
    entries: standing.states.map(entryView),
    repairs: repairs.filter((repair) => repair.createdAt.getTime() <= standing.asOf.getTime()),
    objections: objections.filter((objection) => objection.createdAt.getTime() <= standing.asOf.getTime()),
  };
}

/**
 * For agencies that grant public funds (财政资金安排, 004 二(二)2): an entity under the measure
 * `no_public_funding` (限制政府资金支持) of a list is not eligible while on that list; the lists that say so,
 * and since when.
 */
export function fundingEligibility(standing: CreditStanding) {
  const restrictedBy = standing.listEntries
    .filter((entry) => entry.measures.includes('no_public_funding'))
    .map((entry) => ({ list: entry.list, since: entry.since, measure: 'no_public_funding' as const }));
  return { eligible: restrictedBy.length === 0, restrictedBy };
}
