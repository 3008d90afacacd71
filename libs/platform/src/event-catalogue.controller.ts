import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { asyncApiDocument } from '@backbone/contracts';
import { Public } from './auth';

/** The published event catalogue (AsyncAPI 3.0), the same at every service. */
@ApiTags('documents')
@Public()
@Controller('api/events')
export class EventCatalogueController {
  /** Built at the first request, not at boot: ~70 ms of CPU a restart should not spend before it serves (ADR 0014). */
  private document?: Record<string, unknown>;

  @Get()
  @ApiOperation({ summary: 'AsyncAPI document of every event type, topic and payload schema' })
  get() {
    this.document ??= asyncApiDocument();
    return this.document;
  }
}
