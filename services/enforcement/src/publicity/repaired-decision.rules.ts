import { SEVERITIES, Severity } from '../benchmarks/discretion';

/** What the public list does with a decision whose penalty was repaired at credit. */
export const REPAIRED_PUBLICITY_ACTIONS = ['withdraw', 'annotate'] as const;
export type RepairedPublicityAction = (typeof REPAIRED_PUBLICITY_ACTIONS)[number];

/**
 * Development default (local policy): a minor or general decision leaves the public list once repaired
 * (停止公示); a serious one stays until its publication period ends, marked as repaired (标注已修复).
 */
export const DEFAULT_REPAIRED_DECISION_PUBLICITY = 'minor=withdraw,general=withdraw,serious=annotate';

/** Parses `severity=withdraw|annotate,…`, every severity once. Throws naming the problem. */
export function parseRepairedDecisionPublicity(value: string): Record<Severity, RepairedPublicityAction> {
  const table: Partial<Record<Severity, RepairedPublicityAction>> = {};
  const problems: string[] = [];
  for (const pair of value.split(',').filter(Boolean)) {
    const [severity, action] = pair.split('=');
    if (!(SEVERITIES as readonly string[]).includes(severity)) problems.push(`${severity} is not a severity (${SEVERITIES.join(', ')})`);
    else if (table[severity as Severity]) problems.push(`${severity} is named twice`);
    if (!(REPAIRED_PUBLICITY_ACTIONS as readonly string[]).includes(action))
      problems.push(`${severity}: "${action}" is not withdraw or annotate`);
    table[severity as Severity] = action as RepairedPublicityAction;
  }
  const missing = SEVERITIES.filter((severity) => !table[severity]);
  if (missing.length > 0) problems.push(`no action for ${missing.join(', ')}`);
  if (problems.length > 0) throw new Error(`REPAIRED_DECISION_PUBLICITY: ${problems.join('; ')}`);
  return table as Record<Severity, RepairedPublicityAction>;
}

/**
 * What a granted credit repair does to a published decision (001 三(二)5: 对修复状况进行记录和更新):
 * nothing when it was already repaired (a repeated event) or is no longer published; else the table's
 * action for its severity (a decision without a recorded severity counts as general).
 */
export function publicityAfterRepair(
  decision: { severity?: Severity | null; repairedAt?: Date | null; publishUntil?: Date | null },
  repairedAt: Date,
  table: Record<Severity, RepairedPublicityAction>,
): RepairedPublicityAction | 'none' {
  if (decision.repairedAt) return 'none';
  if (!decision.publishUntil || decision.publishUntil.getTime() <= repairedAt.getTime()) return 'none';
  return table[decision.severity ?? 'general'];
}
