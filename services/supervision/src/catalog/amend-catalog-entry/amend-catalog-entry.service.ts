import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
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
import { CatalogEntry } from '../catalog-entry.entity';
import type { AmendCatalogEntryRequest } from './amend-catalog-entry.request.dto';

/**
 * A catalog administrator amends an entry: version + 1, the previous versions kept. Tasks keep the version
 * they were routed under; approvals waiting in the vacuum (and returned tasks) it now covers are routed.
 */
@Injectable()
export class AmendCatalogEntryService {
  private readonly administrators: Set<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly routing: ApprovalRouting,
    @Inject(SupervisionConfig) config: SupervisionConfig,
  ) {
    this.administrators = catalogAdministrators(config);
  }

  amend(department: string, id: string, request: AmendCatalogEntryRequest) {
    assertCatalogAdministrator(this.administrators, department);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('catalog_entry'))`);
      const entry = await manager.findOne(CatalogEntry, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entry) throw new NotFoundError('catalog entry', id);
      const { changeNote, effectiveFrom, effectiveTo, approvalItemCodes, ...elements } = request;
      for (const [key, value] of Object.entries(elements)) {
        if (value !== undefined) Object.assign(entry, { [key]: value });
      }
      if (approvalItemCodes) entry.approvalItemCodes = [...new Set(approvalItemCodes)];
      if (effectiveFrom) entry.effectiveFrom = new Date(effectiveFrom);
      if (effectiveTo) entry.effectiveTo = new Date(effectiveTo);
      entry.version += 1;
      entry.updatedBy = department;
      entry.updatedAt = new Date();
      assertEntryConsistent(entry);
      await assertNoOverlap(manager, entry);
      await manager.save(entry);
      await recordVersion(manager, entry, department, changeNote);
      const routed = await this.routing.routeWaiting(manager, entry);
      return { entry: catalogEntryView(entry), routedTasks: routed.map(taskView) };
    });
  }
}
