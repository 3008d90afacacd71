import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import type { ApprovalConfig } from './approval.config';
import { Approval, ApprovalFeedback } from './approvals/approval.entity';
import { DecideApprovalHttpController } from './approvals/decide-approval/decide-approval.http.controller';
import { DecideApprovalService } from './approvals/decide-approval/decide-approval.service';
import { GetApprovalHttpController } from './approvals/get-approval/get-approval.http.controller';
import { RecordFeedbackMessageController } from './approvals/record-feedback/record-feedback.message.controller';
import { APPROVAL_MIGRATIONS } from './migrations';

export const APPROVAL_SERVICE = {
  name: 'approval',
  title: 'Approval service',
  description:
    'Approval decisions and licences. Source of the double push to supervision; receives claims, inspections and penalties back.',
};

@Module({})
export class ApprovalModule {
  static forRoot(config: ApprovalConfig): DynamicModule {
    return {
      module: ApprovalModule,
      imports: [
        PlatformModule.forRoot({
          service: APPROVAL_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES, Approval, ApprovalFeedback],
          migrations: APPROVAL_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [DecideApprovalHttpController, GetApprovalHttpController, RecordFeedbackMessageController],
      providers: [DecideApprovalService],
    };
  }
}
