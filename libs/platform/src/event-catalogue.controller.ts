import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { asyncApiDocument } from '@backbone/contracts';
import { Public } from './auth';

/** The published event catalogue (AsyncAPI 3.0), the same at every service. */
@ApiTags('documents')
@Public()
@Controller('api/events')
export class EventCatalogueController {
  private readonly document = asyncApiDocument();

  @Get()
  @ApiOperation({ summary: 'AsyncAPI document of every event type, topic and payload schema' })
  get() {
    return this.document;
  }
}
