import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ANY_EVENT, InboxContext } from '@backbone/messaging';
import { projectLoopEvent } from './loop-projection';

/**
 * Every event of every topic, into the console's own tables, once (the inbox row and the projection
 * commit together): the console never reads another service's database.
 */
@Controller()
export class ProjectLoopEventMessageController {
  @EventPattern(ANY_EVENT)
  async project(@Payload() payload: unknown, @Ctx() context: InboxContext) {
    await projectLoopEvent(context.manager, context.envelope, payload);
  }
}
