import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Caller, DomainError, isOperator, NotFoundError } from '@backbone/platform';
import { CreditConfig } from '../../credit.config';
import { CreditError } from '../../credit.errors';
import { entitySees } from '../../credit-records/entity-scope';
import { CreditRecordService } from '../../credit-records/credit-record.service';
import { CreditRepair } from '../credit-repair.entity';
import type { AddRepairEvidenceRequest } from './add-repair-evidence.request.dto';

/**
 * Adds evidence to a pending repair application (补充材料), so that an incomplete application is completed
 * instead of blocking the entry (REPAIR_ALREADY_PENDING) until someone rejects it. Added by the entity
 * itself (its own credential), the department that filed it, or a credit authority; anyone else finds no
 * such application. The latest evidence and commitment are the application's; every addition is kept.
 */
@Injectable()
export class AddRepairEvidenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: CreditRecordService,
    private readonly config: CreditConfig,
  ) {}

  async add(caller: Caller, repairId: string, request: AddRepairEvidenceRequest, now = new Date()): Promise<CreditRepair> {
    if (request.rectificationEvidence === undefined && request.commitment === undefined) {
      throw new DomainError(
        CreditError.EVIDENCE_REQUIRED,
        'rectificationEvidence: give rectification evidence, a commitment, or both',
        400,
        { field: 'rectificationEvidence' },
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.getRepository(CreditRepair).findOneBy({ id: repairId });
      if (!found || !this.mayAdd(caller, found)) throw new NotFoundError('credit repair', repairId);
      await this.records.lock(manager, found.uscc);
      const repair = await manager.getRepository(CreditRepair).findOneByOrFail({ id: repairId });
      if (repair.status !== 'pending') {
        throw new DomainError(
          CreditError.REPAIR_NOT_PENDING,
          `repair ${repair.id} is ${repair.status}: evidence is added while it is pending`,
          409,
          {
            status: repair.status,
          },
        );
      }
      await manager.getRepository(CreditRepair).update(
        { id: repair.id },
        {
          rectificationEvidence: request.rectificationEvidence ?? repair.rectificationEvidence,
          commitment: request.commitment ?? repair.commitment,
          supplements: [
            ...repair.supplements,
            {
              addedBy: caller.department,
              at: now.toISOString(),
              ...(request.rectificationEvidence !== undefined ? { rectificationEvidence: request.rectificationEvidence } : {}),
              ...(request.commitment !== undefined ? { commitment: request.commitment } : {}),
            },
          ],
        },
      );
      return manager.getRepository(CreditRepair).findOneByOrFail({ id: repair.id });
    });
  }

  private mayAdd(caller: Caller, repair: CreditRepair): boolean {
    if (caller.entity !== undefined) return entitySees(caller, repair.uscc);
    return (
      repair.applicantDepartment === caller.department ||
      this.config.isCreditAuthority(caller.department) ||
      isOperator(this.config, caller.department)
    );
  }
}
