import { CREDIT_TIERS, usccProblem } from '@backbone/contracts';
import { ENTITY_TYPES, entityTypeOf, regionOf } from '../target-entity.entity';

/** One accepted row of a bulk import. */
export interface TargetRow {
  uscc: string;
  name: string;
  entityType: string;
  industry: string | null;
  regionCode: string;
  /** null: keep the tier the pool has (credit events are authoritative). */
  creditTier: string | null;
  keySupervision: boolean;
  status: 'active' | 'deregistered';
}

export interface RowProblem {
  field: string;
  rule: string;
  message: string;
}

export const IMPORT_FIELDS = ['uscc', 'name', 'regionCode', 'entityType', 'industry', 'creditTier', 'keySupervision', 'status'] as const;

const text = (value: unknown): string | undefined =>
  value === undefined || value === null || value === '' ? undefined : typeof value === 'string' ? value.trim() : String(value);

/**
 * Validates one import row (an NDJSON object or a CSV record with a header line), field by field,
 * every problem named. Optional fields fall back to what the USCC says (region, entity type).
 */
export function validateTargetRow(raw: unknown): { row: TargetRow } | { problems: RowProblem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ field: '(row)', rule: 'isObject', message: 'a row is one JSON object (NDJSON) or one CSV record' }] };
  }
  const record = raw as Record<string, unknown>;
  const problems: RowProblem[] = [];
  for (const field of Object.keys(record)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) {
      problems.push({ field, rule: 'whitelist', message: `unknown field; known: ${IMPORT_FIELDS.join(', ')}` });
    }
  }
  const uscc = text(record.uscc);
  const usccIssue = uscc === undefined ? 'missing' : usccProblem(uscc);
  if (usccIssue) problems.push({ field: 'uscc', rule: 'isUscc', message: `must be a USCC (GB 32100-2015): ${usccIssue}` });
  const name = text(record.name);
  if (!name || name.length > 200) problems.push({ field: 'name', rule: 'length', message: 'must be 1–200 characters' });
  const regionCode = text(record.regionCode) ?? (uscc && !usccIssue ? regionOf(uscc) : undefined);
  if (regionCode !== undefined && !/^\d{6}$/.test(regionCode)) {
    problems.push({ field: 'regionCode', rule: 'matches', message: 'must be a six-digit division code' });
  }
  const entityType = text(record.entityType) ?? (uscc && !usccIssue ? entityTypeOf(uscc) : undefined);
  if (entityType !== undefined && !(ENTITY_TYPES as readonly string[]).includes(entityType)) {
    problems.push({ field: 'entityType', rule: 'isIn', message: `must be one of ${ENTITY_TYPES.join(', ')}` });
  }
  const industry = text(record.industry) ?? null;
  if (industry !== null && !/^[A-Z0-9]{1,16}$/.test(industry)) {
    problems.push({ field: 'industry', rule: 'matches', message: 'must be an industry code (GB/T 4754), e.g. H62' });
  }
  const creditTier = text(record.creditTier) ?? null;
  if (creditTier !== null && !(CREDIT_TIERS as readonly string[]).includes(creditTier)) {
    problems.push({ field: 'creditTier', rule: 'isIn', message: `must be one of ${CREDIT_TIERS.join(', ')}` });
  }
  const key = text(record.keySupervision);
  const keySupervision = key === undefined ? false : ['true', '1'].includes(key) ? true : ['false', '0'].includes(key) ? false : null;
  if (keySupervision === null) problems.push({ field: 'keySupervision', rule: 'isBoolean', message: 'must be true, false, 1 or 0' });
  const status = text(record.status) ?? 'active';
  if (status !== 'active' && status !== 'deregistered') {
    problems.push({ field: 'status', rule: 'isIn', message: 'must be active or deregistered' });
  }
  if (problems.length > 0) return { problems };
  return {
    row: {
      uscc: uscc!,
      name: name!,
      entityType: entityType!,
      industry,
      regionCode: regionCode!,
      creditTier,
      keySupervision: keySupervision!,
      status: status as TargetRow['status'],
    },
  };
}
