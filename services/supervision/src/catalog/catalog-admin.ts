import { EntityManager, Not } from 'typeorm';
import { DomainError, ForbiddenError } from '@backbone/platform';
import type { SupervisionConfig } from '../supervision.config';
import { CatalogEntry, CatalogEntryVersion } from './catalog-entry.entity';
import { SupervisionError } from '../supervision.errors';

/** Catalog administration belongs to the catalog administrators and the operators (config). */
export function catalogAdministrators(config: SupervisionConfig): Set<string> {
  return new Set([...config.CATALOG_ADMIN_DEPARTMENTS.split(','), ...config.OPERATOR_DEPARTMENTS.split(',')].filter(Boolean));
}

export function assertCatalogAdministrator(administrators: Set<string>, department: string): void {
  if (!administrators.has(department)) {
    throw new ForbiddenError(
      SupervisionError.CATALOG_ADMIN_ONLY,
      `only catalog administrators may change the catalog; ${department} is not one`,
    );
  }
}

/** The entry is consistent: separated items name their authority, the period is not empty. */
export function assertEntryConsistent(entry: CatalogEntry): void {
  if (entry.mode === 'separated' && !entry.supervisingDepartment) {
    throw new DomainError(SupervisionError.SUPERVISING_DEPARTMENT_REQUIRED, 'supervisingDepartment: required when mode is separated', 422);
  }
  if (entry.effectiveTo && entry.effectiveTo.getTime() <= entry.effectiveFrom.getTime()) {
    throw new DomainError(SupervisionError.EMPTY_EFFECTIVE_PERIOD, 'effectiveTo: must be after effectiveFrom', 422);
  }
}

/** Two entries of one region may not cover the same approval item over overlapping periods. */
export async function assertNoOverlap(manager: EntityManager, entry: CatalogEntry): Promise<void> {
  const others = await manager.find(CatalogEntry, { where: { regionCode: entry.regionCode, id: Not(entry.id) } });
  const end = (e: CatalogEntry) => e.effectiveTo?.getTime() ?? Number.POSITIVE_INFINITY;
  for (const other of others) {
    const shared = other.approvalItemCodes.filter((code) => entry.approvalItemCodes.includes(code));
    if (shared.length === 0) continue;
    if (other.effectiveFrom.getTime() < end(entry) && entry.effectiveFrom.getTime() < end(other)) {
      throw new DomainError(
        SupervisionError.CATALOG_ENTRY_OVERLAP,
        `catalog entry ${other.id} already covers ${shared.join(', ')} in region ${entry.regionCode} over an overlapping period`,
        409,
        { entryId: other.id, approvalItemCodes: shared },
      );
    }
  }
}

/** Keeps the version as it now stands in the entry's history. */
export async function recordVersion(manager: EntityManager, entry: CatalogEntry, changedBy: string, changeNote: string): Promise<void> {
  await manager.save(
    manager.create(CatalogEntryVersion, {
      entryId: entry.id,
      version: entry.version,
      snapshot: catalogEntryView(entry),
      changedBy,
      changeNote,
      changedAt: entry.updatedAt,
    }),
  );
}

export function catalogEntryView(entry: CatalogEntry) {
  return {
    id: entry.id,
    version: entry.version,
    itemCode: entry.itemCode,
    itemName: entry.itemName,
    approvalItemCodes: entry.approvalItemCodes,
    regionCode: entry.regionCode,
    level: entry.level,
    mode: entry.mode,
    supervisingDepartment: entry.supervisingDepartment,
    supervisionObject: entry.supervisionObject,
    measures: entry.measures,
    legalBasis: entry.legalBasis,
    resultHandling: entry.resultHandling,
    responsibleLeader: entry.responsibleLeader,
    undertakingOffice: entry.undertakingOffice,
    handler: entry.handler,
    claimDeadlineDays: entry.claimDeadlineDays,
    verificationDeadlineDays: entry.verificationDeadlineDays,
    effectiveFrom: entry.effectiveFrom.toISOString(),
    effectiveTo: entry.effectiveTo?.toISOString() ?? null,
    updatedBy: entry.updatedBy,
    updatedAt: entry.updatedAt.toISOString(),
  };
}
