import type { ApprovalOutcome } from '@backbone/contracts';

/**
 * Items held while the entity has an open enforcement case, from HOLD_ITEMS_DURING_OPEN_CASE
 * (comma-separated item codes; `*` holds every item; empty holds none).
 */
export function parseHoldItems(value: string | undefined): ReadonlySet<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );
}

/**
 * A new grant is held (stored, not published) when its item is configured for holds and the entity
 * has at least one open enforcement case. It is released when the entity's last open case closes.
 * A refusal grants nothing, so it is never held.
 */
export function holdReason(
  holdItems: ReadonlySet<string>,
  application: { itemCode: string; outcome: ApprovalOutcome },
  openCaseIds: readonly string[],
): string | undefined {
  const { itemCode } = application;
  if (application.outcome !== 'granted' || openCaseIds.length === 0) return undefined;
  if (!holdItems.has('*') && !holdItems.has(itemCode)) return undefined;
  return `held while enforcement case(s) ${openCaseIds.join(', ')} of the entity are open (item ${itemCode} is held during open cases)`;
}
