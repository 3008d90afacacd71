import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreditRepairAppliedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError, NotFoundError } from '@backbone/platform';
import { CreditEntry } from '../../credit-records/credit-entry.entity';
import { CreditRecordService } from '../../credit-records/credit-record.service';
import { creditStanding } from '../../credit-records/credit-standing.rules';
import { CreditRepair } from '../credit-repair.entity';
import { isAdverse, REPAIRABLE_KINDS } from '../repair-conditions.rules';
import type { ApplyForRepairRequest } from './apply-for-repair.request.dto';
import { CreditError } from '../../credit.errors';

/**
 * Files a repair application for one entry. Anyone authenticated may file it (the agency window acting
 * for the entity, or the credit authority itself); only the credit authority decides it. The
 * conditions are checked at the decision, when they must hold; the application is accepted so that the
 * authority sees it and can answer.
 */
@Injectable()
export class ApplyForRepairService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: CreditRecordService,
    private readonly outbox: Outbox,
  ) {}

  async apply(department: string, uscc: string, request: ApplyForRepairRequest): Promise<CreditRepair> {
    return this.dataSource.transaction(async (manager) => {
      await this.records.lock(manager, uscc);
      const entry = await manager.getRepository(CreditEntry).findOneBy({ id: request.entryId, uscc });
      if (!entry) throw new NotFoundError('credit entry', `${request.entryId} of ${uscc}`);
      if (!(REPAIRABLE_KINDS as readonly string[]).includes(entry.kind)) {
        throw new DomainError(
          CreditError.ENTRY_NOT_REPAIRABLE,
          `a ${entry.kind} entry cannot be repaired; repairable: ${REPAIRABLE_KINDS.join(', ')}`,
          422,
          { kind: entry.kind },
        );
      }
      if (!isAdverse(entry)) {
        throw new DomainError(
          CreditError.ENTRY_NOT_REPAIRABLE,
          `entry ${entry.id} records no dishonesty (a compliant inspection or a fulfilled commitment): there is nothing to repair`,
          422,
          { kind: entry.kind },
        );
      }
      const state = creditStanding(await this.records.entries(manager, uscc), new Date(), this.records.rules).states.find(
        (s) => s.entry.id === entry.id,
      );
      if (state?.invalidatedBy || state?.repairedBy || state?.exitedBy) {
        throw new DomainError(CreditError.ENTRY_NO_LONGER_VALID, `entry ${entry.id} was already corrected, repaired or ended`, 409);
      }
      const open = await manager.getRepository(CreditRepair).findOneBy({ uscc, entryId: entry.id, status: 'pending' });
      if (open)
        throw new DomainError(CreditError.REPAIR_ALREADY_PENDING, `repair ${open.id} for entry ${entry.id} is awaiting its decision`, 409, {
          repairId: open.id,
        });
      const repair = manager.create(CreditRepair, {
        id: randomUUID(),
        uscc,
        entryId: entry.id,
        applicantDepartment: department,
        reason: request.reason,
        rectificationEvidence: request.rectificationEvidence ?? null,
        commitment: request.commitment ?? null,
        status: 'pending',
        decidedBy: null,
        decisionNote: null,
        decidedAt: null,
        correlationId: entry.correlationId,
      });
      await manager.insert(CreditRepair, repair);
      const filed = await manager.getRepository(CreditRepair).findOneByOrFail({ id: repair.id });
      await this.outbox.add(manager, CreditRepairAppliedV1, {
        subject: uscc,
        correlationId: repair.correlationId,
        data: {
          repairId: repair.id,
          uscc,
          entryId: String(entry.id),
          applicantDepartment: department,
          appliedAt: filed.createdAt.toISOString(),
        },
      });
      return filed;
    });
  }
}
