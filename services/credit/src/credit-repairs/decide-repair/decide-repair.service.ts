import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CreditRepairApprovedV1, CreditRepairDecidedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError, ForbiddenError, NotFoundError } from '@backbone/platform';
import { CreditConfig } from '../../credit.config';
import { ListEntryFact, ListExitFact, PenaltyFact, RepairFact } from '../../credit-records/credit-entry.entity';
import { CreditRecordService } from '../../credit-records/credit-record.service';
import { creditStanding } from '../../credit-records/credit-standing.rules';
import { CreditRepair, REPAIR_TRANSITIONS } from '../credit-repair.entity';
import { repairScope, unmetRepairConditions } from '../repair-conditions.rules';
import type { DecideRepairRequest } from './decide-repair.request.dto';
import { CreditError } from '../../credit.errors';

/**
 * A credit authority decides a repair application. Approval is refused while a condition is unmet
 * (naming it); on approval the covered entries are repaired, the list entries among them exit, the
 * tier is recomputed and CreditStatusChangedV1 tells approval and supervision to lift the measures;
 * CreditRepairApprovedV1 names the covered entries, so that enforcement withdraws or annotates the
 * published penalty decisions among them.
 */
@Injectable()
export class DecideRepairService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: CreditRecordService,
    private readonly outbox: Outbox,
    private readonly config: CreditConfig,
  ) {}

  async decide(department: string, repairId: string, request: DecideRepairRequest, now = new Date()): Promise<CreditRepair> {
    if (!this.config.isCreditAuthority(department)) {
      throw new ForbiddenError(
        CreditError.NOT_CREDIT_AUTHORITY,
        `${department} is not a credit authority department: only those decide repairs`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.getRepository(CreditRepair).findOneBy({ id: repairId });
      if (!found) throw new NotFoundError('credit repair', repairId);
      await this.records.lock(manager, found.uscc);
      const repair = await manager.getRepository(CreditRepair).findOneByOrFail({ id: repairId });
      const transition = REPAIR_TRANSITIONS[request.decision];
      if (!transition.from.includes(repair.status)) {
        throw new DomainError(
          CreditError.REPAIR_ALREADY_DECIDED,
          `repair ${repair.id} is ${repair.status}: it cannot be ${transition.to} now`,
          409,
          {
            status: repair.status,
          },
        );
      }
      if (request.decision === 'approve') await this.applyRepair(manager, repair, department, now);
      await manager
        .getRepository(CreditRepair)
        .update({ id: repair.id }, { status: transition.to, decidedBy: department, decisionNote: request.note, decidedAt: now });
      await this.outbox.add(manager, CreditRepairDecidedV1, {
        subject: repair.uscc,
        correlationId: repair.correlationId,
        data: {
          repairId: repair.id,
          uscc: repair.uscc,
          applicantDepartment: repair.applicantDepartment,
          outcome: transition.to === 'approved' ? 'approved' : 'rejected',
          decidedBy: department,
          decidedAt: now.toISOString(),
        },
      });
      return manager.getRepository(CreditRepair).findOneByOrFail({ id: repair.id });
    });
  }

  private async applyRepair(manager: EntityManager, repair: CreditRepair, department: string, now: Date) {
    const standing = creditStanding(await this.records.entries(manager, repair.uscc), now, this.records.rules);
    const target = standing.states.find((state) => state.entry.id === repair.entryId);
    if (!target || target.invalidatedBy || target.repairedBy || target.exitedBy) {
      throw new DomainError(CreditError.ENTRY_NO_LONGER_VALID, `entry ${repair.entryId} was already corrected, repaired or ended`, 409);
    }
    const scope = repairScope(target, standing);
    const unmet = unmetRepairConditions(scope, repair, now, this.records.rules);
    if (unmet.length > 0) {
      throw new DomainError(
        CreditError.REPAIR_CONDITION_UNMET,
        `the repair cannot be approved: ${unmet.map((problem) => `${problem.condition}: ${problem.message}`).join('; ')}`,
        422,
        { conditions: unmet },
      );
    }
    const base = { correlationId: repair.correlationId, occurredAt: now };
    const detail: RepairFact = {
      repairId: repair.id,
      targetEntryId: repair.entryId,
      coveredEntryIds: scope.covered.map((s) => s.entry.id),
      decidedBy: department,
    };
    await this.records.append(manager, repair.uscc, { ...base, kind: 'repair', sourceEventId: `repair:${repair.id}`, detail });
    for (const state of scope.listExits) {
      const exit: ListExitFact = {
        list: (state.entry.detail as ListEntryFact).list,
        listEntryId: state.entry.id,
        reason: 'repair',
        repairId: repair.id,
      };
      await this.records.append(manager, repair.uscc, {
        ...base,
        kind: 'list_exit',
        sourceEventId: `list-exit:${state.entry.id}`,
        detail: exit,
      });
    }
    await this.outbox.add(manager, CreditRepairApprovedV1, {
      subject: repair.uscc,
      correlationId: repair.correlationId,
      data: {
        repairId: repair.id,
        uscc: repair.uscc,
        entryId: repair.entryId,
        repaired: scope.covered.map(({ entry }) => {
          const penalty = entry.kind === 'penalty' ? (entry.detail as PenaltyFact) : undefined;
          return {
            entryId: entry.id,
            kind: entry.kind,
            ...(penalty ? { caseId: penalty.caseId, decisionNumber: penalty.decisionNumber } : {}),
          };
        }),
        decidedBy: department,
        repairedAt: now.toISOString(),
      },
    });
    await this.records.recompute(
      manager,
      repair.uscc,
      (type, data) => this.outbox.add(manager, type, { subject: repair.uscc, correlationId: repair.correlationId, data }),
      now,
    );
  }
}
