import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { EntityNotifiedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { ForbiddenError, NotFoundError } from '@backbone/platform';
import { workingDayDeadline } from '@backbone/platform';
import { regionAncestors } from '../../catalog/route-approval';
import { SupervisionConfig } from '../../supervision.config';
import { ApprovalSeen } from '../../tasks/supervision-task.entity';
import { EntityNotification, EntityRegistration, ScopeLicenceRule } from '../registration.entity';
import type { RegisterEntityRequest } from './register-entity.request.dto';
import { SupervisionError } from '../../supervision.errors';

/**
 * Double notification (双告知, 000 三(二)1): the market regulator posts a registration; the applicant is
 * told which licences its business scope needs (the response, and GET /registrations/:id), and each
 * licensing department is told about the applicant (EntityNotifiedV1). A licence not granted by the due
 * date becomes an unlicensed-operation clue (see the deadline sweep).
 */
@Injectable()
export class RegisterEntityService {
  private readonly registrars: Set<string>;
  private readonly dueDays: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(SupervisionConfig) config: SupervisionConfig,
  ) {
    this.registrars = new Set(config.REGISTRATION_DEPARTMENTS.split(','));
    this.dueDays = config.LICENCE_DUE_WORKING_DAYS;
  }

  register(department: string, request: RegisterEntityRequest) {
    if (!this.registrars.has(department)) {
      throw new ForbiddenError(
        SupervisionError.REGISTRAR_ONLY,
        `only the market regulator's registration departments may post registrations; ${department} is not one`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const registeredAt = request.registeredAt ? new Date(request.registeredAt) : new Date();
      const rules = await manager.find(ScopeLicenceRule, { where: { regionCode: In(regionAncestors(request.regionCode)) } });
      const needed = new Map<string, ScopeLicenceRule>();
      for (const region of regionAncestors(request.regionCode)) {
        for (const rule of rules.filter((r) => r.regionCode === region)) {
          const named = request.businessScope.includes(rule.keyword) || (request.itemCodes ?? []).includes(rule.itemCode);
          if (named && !needed.has(rule.itemCode)) needed.set(rule.itemCode, rule);
        }
      }
      // The registration's id is also the correlation id of everything it starts (notifications, clues).
      const id = randomUUID();
      const registration = manager.create(EntityRegistration, {
        id,
        uscc: request.uscc,
        entityName: request.entityName,
        regionCode: request.regionCode,
        businessScope: request.businessScope,
        itemCodes: [...needed.keys()],
        registeredBy: department,
        registeredAt,
        correlationId: id,
      });
      await manager.insert(EntityRegistration, registration);
      const licensed = await manager.find(ApprovalSeen, { where: { uscc: request.uscc, outcome: 'granted' } });
      const byDepartment = new Map<string, string[]>();
      for (const rule of needed.values()) {
        const licence = licensed.find((seen) => seen.itemCode === rule.itemCode);
        await manager.insert(EntityNotification, {
          id: randomUUID(),
          registrationId: registration.id,
          uscc: registration.uscc,
          entityName: registration.entityName,
          itemCode: rule.itemCode,
          itemName: rule.itemName,
          licensingDepartment: rule.licensingDepartment,
          competentDepartment: rule.competentDepartment,
          licenceDueAt: workingDayDeadline(registeredAt, this.dueDays),
          licensedAt: licence?.decidedAt ?? null,
          licenceApprovalId: licence?.approvalId ?? null,
          clueId: null,
          clueAt: null,
          feedback: [],
          notifiedAt: new Date(),
        });
        byDepartment.set(rule.licensingDepartment, [...(byDepartment.get(rule.licensingDepartment) ?? []), rule.itemCode]);
      }
      for (const [licensingDepartment, itemCodes] of byDepartment) {
        await this.outbox.add(manager, EntityNotifiedV1, {
          subject: registration.uscc,
          correlationId: registration.correlationId,
          data: {
            notificationId: randomUUID(),
            registrationId: registration.id,
            uscc: registration.uscc,
            entityName: registration.entityName,
            licensingDepartment,
            itemCodes,
            notifiedAt: new Date().toISOString(),
          },
        });
      }
      return registrationView(registration, await manager.find(EntityNotification, { where: { registrationId: registration.id } }));
    });
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager) {
    const registration = await manager.findOneBy(EntityRegistration, { id });
    if (!registration) throw new NotFoundError('registration', id);
    return registrationView(
      registration,
      await manager.find(EntityNotification, { where: { registrationId: id }, order: { itemCode: 'ASC' } }),
    );
  }
}

/** What the applicant is told (the licences its scope needs) and what each department fed back. */
export function registrationView(registration: EntityRegistration, notifications: EntityNotification[]) {
  return {
    id: registration.id,
    uscc: registration.uscc,
    entityName: registration.entityName,
    regionCode: registration.regionCode,
    businessScope: registration.businessScope,
    registeredAt: registration.registeredAt,
    correlationId: registration.correlationId,
    licencesNeeded: notifications.map((n) => ({
      notificationId: n.id,
      itemCode: n.itemCode,
      itemName: n.itemName,
      licensingDepartment: n.licensingDepartment,
      licenceDueAt: n.licenceDueAt,
      licensed: n.licensedAt !== null,
      licenceApprovalId: n.licenceApprovalId,
      unlicensedClueId: n.clueId,
      feedback: n.feedback,
    })),
  };
}
