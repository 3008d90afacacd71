import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import type { StoredApproval } from '../tasks/supervision-task.entity';
import { EntityNotification } from './registration.entity';

/** A granted licence for an entity and item ends the wait of its double notification: no clue will follow. */
@Injectable()
export class RecordLicenceService {
  async licenceGranted(manager: EntityManager, approval: StoredApproval): Promise<void> {
    await manager.update(
      EntityNotification,
      { uscc: approval.uscc, itemCode: approval.itemCode, licensedAt: IsNull() },
      { licensedAt: new Date(approval.decidedAt), licenceApprovalId: approval.approvalId },
    );
  }
}
