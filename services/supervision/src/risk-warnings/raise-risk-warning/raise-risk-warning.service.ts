import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { RiskWarningScopeV1 } from '@backbone/contracts';
import { DomainError } from '@backbone/platform';
import { CatalogEntry } from '../../catalog/catalog-entry.entity';
import { SupervisionError } from '../../supervision.errors';
import { RiskWarning } from '../risk-warning.entity';
import { RiskWarningRepository } from '../risk-warning.repository';
import { assertScopeUsable, entryTouchesScope } from '../risk-warning-rules';
import type { RaiseRiskWarningRequest } from './raise-risk-warning.request.dto';

/**
 * Raises a risk warning: its scope checked, the departments that supervise the scope found (the catalog's
 * supervising departments of the scope's items and regions, and the departments holding open tasks in the
 * scope, which covers integrated items and listed entities), stored and announced (RiskWarningRaisedV1).
 */
@Injectable()
export class RaiseRiskWarningService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly warnings: RiskWarningRepository,
  ) {}

  async raise(department: string, request: RaiseRiskWarningRequest, now = new Date()): Promise<RiskWarning> {
    const scope: RiskWarningScopeV1 = {
      regionPrefixes: [...new Set(request.scope.regionPrefixes ?? [])].sort(),
      industries: [...new Set(request.scope.industries ?? [])].sort(),
      licenceItemCodes: [...new Set(request.scope.licenceItemCodes ?? [])].sort(),
      usccs: [...new Set(request.scope.usccs ?? [])].sort(),
    };
    assertScopeUsable(scope);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const warning = RiskWarning.raise(
          {
            id: randomUUID(),
            reference: request.reference,
            level: request.level,
            title: request.title,
            raisedBy: department,
            startsAt: request.startsAt ? new Date(request.startsAt) : now,
            endsAt: new Date(request.endsAt),
            scope,
            concerns: request.concerns,
            measures: request.measures,
            notifiedDepartments: await this.supervisingDepartments(manager, scope, now),
            correlationId: randomUUID(),
          },
          now,
        );
        await this.warnings.insert(manager, warning);
        return warning;
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505') {
        throw new DomainError(
          SupervisionError.DUPLICATE_RISK_WARNING,
          `reference: a risk warning ${request.reference} exists already`,
          409,
        );
      }
      throw error;
    }
  }

  /** The departments that supervise the scope, sorted. */
  private async supervisingDepartments(manager: EntityManager, scope: RiskWarningScopeV1, now: Date): Promise<string[]> {
    const departments = new Set<string>();
    for (const entry of await manager.find(CatalogEntry)) {
      const effective =
        entry.effectiveFrom.getTime() <= now.getTime() && (!entry.effectiveTo || entry.effectiveTo.getTime() > now.getTime());
      if (effective && entry.supervisingDepartment && entryTouchesScope(entry, scope)) departments.add(entry.supervisingDepartment);
    }
    const dimensions = scope.regionPrefixes.length + scope.licenceItemCodes.length > 0;
    const rows: { department: string }[] = await manager.query(
      `SELECT DISTINCT assigned_department AS department FROM supervision_task
       WHERE status IN ('assigned', 'claimed') AND (uscc = ANY ($1::text[]) OR ($2::boolean
         AND (cardinality($3::text[]) = 0 OR region_code LIKE ANY ($3::text[]))
         AND (cardinality($4::text[]) = 0 OR item_code = ANY ($4::text[]))))`,
      [scope.usccs, dimensions, scope.regionPrefixes.map((prefix) => `${prefix}%`), scope.licenceItemCodes],
    );
    for (const row of rows) departments.add(row.department);
    return [...departments].sort();
  }
}
