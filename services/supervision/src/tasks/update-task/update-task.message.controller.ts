import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ApprovalChangedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { UpdateTaskService } from './update-task.service';

/** An approval changed: its task follows the change (UpdateTaskService). */
@Controller()
export class UpdateTaskMessageController {
  constructor(private readonly service: UpdateTaskService) {}

  @EventPattern(ApprovalChangedV1.type)
  async approvalChanged(@Payload() change: ApprovalChangedV1, @Ctx() context: InboxContext) {
    await this.service.approvalChanged(context.manager, change, { correlationId: context.correlationId, causationId: context.envelope.id });
  }
}
