import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SupervisionConfig } from '../../supervision.config';
import { ApprovalRouting } from '../../routing/approval-routing.service';
import { taskView } from '../../tasks/task.view';
import {
  assertCatalogAdministrator,
  assertEntryConsistent,
  assertNoOverlap,
  catalogAdministrators,
  catalogEntryView,
  recordVersion,
} from '../catalog-admin';
import { CatalogEntry, catalogLevelOf } from '../catalog-entry.entity';
import type { CreateCatalogEntryRequest } from './create-catalog-entry.request.dto';

/**
 * A catalog administrator adds an entry (version 1). In the same transaction, every approval waiting in
 * the supervision vacuum that the entry now covers is routed (TaskAssignedV1).
 */
@Injectable()
export class CreateCatalogEntryService {
  private readonly administrators: Set<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly routing: ApprovalRouting,
    @Inject(SupervisionConfig) config: SupervisionConfig,
  ) {
    this.administrators = catalogAdministrators(config);
  }

  create(department: string, request: CreateCatalogEntryRequest) {
    assertCatalogAdministrator(this.administrators, department);
    return this.dataSource.transaction(async (manager) => {
      // One catalog change at a time: overlap checks and routing of the vacuum see a stable catalog.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('catalog_entry'))`);
      const now = new Date();
      const entry = manager.create(CatalogEntry, {
        id: randomUUID(),
        itemCode: request.itemCode,
        approvalItemCodes: [...new Set(request.approvalItemCodes)],
        regionCode: request.regionCode,
        itemName: request.itemName,
        mode: request.mode,
        supervisingDepartment: request.supervisingDepartment ?? null,
        supervisionObject: request.supervisionObject,
        measures: request.measures,
        legalBasis: request.legalBasis,
        resultHandling: request.resultHandling,
        level: catalogLevelOf(request.regionCode),
        responsibleLeader: request.responsibleLeader,
        undertakingOffice: request.undertakingOffice,
        handler: request.handler,
        claimDeadlineDays: request.claimDeadlineDays ?? 2,
        verificationDeadlineDays: request.verificationDeadlineDays ?? 20,
        effectiveFrom: request.effectiveFrom ? new Date(request.effectiveFrom) : now,
        effectiveTo: request.effectiveTo ? new Date(request.effectiveTo) : null,
        version: 1,
        updatedBy: department,
        updatedAt: now,
      });
      assertEntryConsistent(entry);
      await assertNoOverlap(manager, entry);
      await manager.insert(CatalogEntry, entry);
      await recordVersion(manager, entry, department, 'created');
      const routed = await this.routing.routeWaiting(manager, entry);
      return { entry: catalogEntryView(entry), routedTasks: routed.map(taskView) };
    });
  }
}
