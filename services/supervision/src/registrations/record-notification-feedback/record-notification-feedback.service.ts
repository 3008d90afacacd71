import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ForbiddenError, NotFoundError } from '@backbone/platform';
import { EntityNotification } from '../registration.entity';
import { RegisterEntityService } from '../register-entity/register-entity.service';
import type { RecordNotificationFeedbackRequest } from './record-notification-feedback.request.dto';
import { SupervisionError } from '../../supervision.errors';

/** The notified licensing department reports back what it did (双反馈); only that department may. */
@Injectable()
export class RecordNotificationFeedbackService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registrations: RegisterEntityService,
  ) {}

  record(notificationId: string, department: string, request: RecordNotificationFeedbackRequest) {
    return this.dataSource.transaction(async (manager) => {
      const notification = await manager.findOne(EntityNotification, {
        where: { id: notificationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!notification) throw new NotFoundError('notification', notificationId);
      if (notification.licensingDepartment !== department) {
        throw new ForbiddenError(
          SupervisionError.NOT_NOTIFIED_DEPARTMENT,
          `notification ${notificationId} went to ${notification.licensingDepartment}, not to ${department}`,
        );
      }
      notification.feedback = [
        ...notification.feedback,
        { department, action: request.action, note: request.note ?? '', at: new Date().toISOString() },
      ];
      await manager.save(notification);
      return this.registrations.get(notification.registrationId, manager);
    });
  }
}
