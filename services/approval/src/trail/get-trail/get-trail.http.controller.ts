import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { Approval } from '../../approvals/approval.entity';
import { LoopEvent } from '../loop-event.entity';

@ApiTags('approvals')
@Controller('approvals')
export class GetTrailHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/trail')
  @ApiOperation({
    summary: "Every event of the approval's loop across all services, by its correlation id, in order of event time then arrival",
  })
  async trail(@Param('id', new ParseUUIDPipe()) id: string) {
    const approval = await this.dataSource.getRepository(Approval).findOneBy({ id });
    if (!approval) throw new NotFoundError('approval', id);
    const events = await this.dataSource.getRepository(LoopEvent).find({
      where: { correlationId: approval.correlationId },
      order: { time: 'ASC', arrival: 'ASC' },
      take: 1000,
    });
    return {
      approvalId: approval.id,
      correlationId: approval.correlationId,
      events: events.map((event) => ({
        id: event.eventId,
        type: event.type,
        source: event.source,
        subject: event.subject,
        time: event.time,
        correlationId: event.correlationId,
        causationId: event.causationId,
        receivedAt: event.receivedAt,
        data: event.data,
      })),
    };
  }
}
