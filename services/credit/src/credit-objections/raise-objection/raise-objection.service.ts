import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreditObjectionRaisedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError, NotFoundError } from '@backbone/platform';
import { CreditEntry } from '../../credit-records/credit-entry.entity';
import { CreditObjection } from '../credit-objection.entity';
import type { RaiseObjectionRequest } from './raise-objection.request.dto';
import { CreditError } from '../../credit.errors';

/** Entries an objection may dispute: the facts themselves and the list entries drawn from them. */
export const DISPUTABLE_KINDS = ['penalty', 'inspection', 'commitment', 'list_entry'] as const;

/** Receives an objection (异议申诉) against one record entry; the credit authority handles and answers it. */
@Injectable()
export class RaiseObjectionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async raise(department: string, uscc: string, request: RaiseObjectionRequest): Promise<CreditObjection> {
    return this.dataSource.transaction(async (manager) => {
      const entry = await manager.getRepository(CreditEntry).findOneBy({ id: request.entryId, uscc });
      if (!entry) throw new NotFoundError('credit entry', `${request.entryId} of ${uscc}`);
      if (!(DISPUTABLE_KINDS as readonly string[]).includes(entry.kind)) {
        throw new DomainError(
          CreditError.ENTRY_NOT_DISPUTABLE,
          `a ${entry.kind} entry cannot be disputed; disputable: ${DISPUTABLE_KINDS.join(', ')}`,
          422,
          { kind: entry.kind },
        );
      }
      const objection = manager.create(CreditObjection, {
        id: randomUUID(),
        uscc,
        entryId: entry.id,
        raisedBy: department,
        grounds: request.grounds,
        status: 'received',
        handledBy: null,
        handler: null,
        answer: null,
        answeredAt: null,
        effectiveFrom: null,
        correlationId: entry.correlationId,
      });
      await manager.insert(CreditObjection, objection);
      const received = await manager.getRepository(CreditObjection).findOneByOrFail({ id: objection.id });
      await this.outbox.add(manager, CreditObjectionRaisedV1, {
        subject: uscc,
        correlationId: objection.correlationId,
        data: {
          objectionId: objection.id,
          uscc,
          entryId: String(entry.id),
          raisedBy: department,
          raisedAt: received.createdAt.toISOString(),
        },
      });
      return received;
    });
  }
}
