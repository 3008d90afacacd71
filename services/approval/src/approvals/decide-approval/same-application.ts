import type { Approval } from '../approval.entity';
import type { DecideApprovalRequest } from './decide-approval.request.dto';

const sameInstant = (given: string | undefined, stored: Date | null) =>
  given === undefined || (stored !== null && new Date(given).getTime() === stored.getTime());
const sameOptional = (given: string | undefined, stored: Date | null) =>
  given === undefined ? stored === null : stored !== null && new Date(given).getTime() === stored.getTime();
const canonical = (value: object | null | undefined) =>
  value ? JSON.stringify(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : 'null';
const sameJson = (given: object | undefined, stored: object | null) => canonical(given) === canonical(stored);

/**
 * The fields in which a repeated application (same department, same application number) differs from
 * the approval recorded for it. Empty: a true repeat (the earlier approval is returned). An approval
 * changed since (amended, renewed, converted: version > 1) is compared on what never changes.
 * `decidedAt` defaults to "now" when absent, so it is compared only when given.
 */
export function differingFields(recorded: Approval, request: DecideApprovalRequest): string[] {
  const checks: Array<[string, boolean]> = [
    ['uscc', recorded.uscc === request.uscc],
    ['itemCode', recorded.itemCode === request.itemCode],
    ['outcome', recorded.outcome === request.outcome],
  ];
  if (recorded.version === 1) {
    checks.push(
      ['entityName', recorded.entityName === request.entityName],
      ['regionCode', recorded.regionCode === request.regionCode],
      ['kind', recorded.kind === request.kind],
      ['licenceNumber', request.outcome !== 'granted' || recorded.licenceNumber === (request.licenceNumber ?? null)],
      ['decidedAt', sameInstant(request.decidedAt, recorded.decidedAt)],
      ['validUntil', sameOptional(request.validUntil, recorded.validUntil)],
      ['delegation', sameJson(request.delegation, recorded.delegation)],
      ['entrustment', sameJson(request.entrustment, recorded.entrustment)],
    );
  }
  return checks.filter(([, same]) => !same).map(([field]) => field);
}
