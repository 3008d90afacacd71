import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnlicensedOperationClueV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError } from '@backbone/platform';
import { SupervisionConfig } from '../../supervision.config';
import { ScopeLicenceRule } from '../registration.entity';
import { routeUnlicensedClue } from '../unlicensed-clue-route';
import type { ReportUnlicensedOperationRequest } from './report-unlicensed-operation.request.dto';
import { SupervisionError } from '../../supervision.errors';

/** Any department reports unlicensed operation it found; the clue is pushed to the competent department. */
@Injectable()
export class ReportUnlicensedOperationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(SupervisionConfig) private readonly config: SupervisionConfig,
  ) {}

  report(department: string, request: ReportUnlicensedOperationRequest) {
    return this.dataSource.transaction(async (manager) => {
      const rules = request.itemCode ? await manager.find(ScopeLicenceRule, { where: { itemCode: request.itemCode } }) : [];
      const route = routeUnlicensedClue(request, rules, this.config.MARKET_REGULATOR_DEPARTMENT);
      if (!route.routed) throw new DomainError(SupervisionError.UNLICENSED_CLUE_UNROUTABLE, route.reason, 422);
      const clue = {
        clueId: randomUUID(),
        uscc: request.uscc,
        entityName: request.entityName,
        ...(request.itemCode ? { itemCode: request.itemCode } : {}),
        department: route.department,
        basis: route.basis,
        reason: `reported by ${department}: ${request.reason}`.slice(0, 1000),
        detectedAt: new Date().toISOString(),
      };
      const envelope = await this.outbox.add(manager, UnlicensedOperationClueV1, {
        subject: request.uscc,
        correlationId: clue.clueId,
        data: clue,
      });
      return { ...clue, correlationId: envelope.correlationid };
    });
  }
}
