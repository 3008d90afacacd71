import { Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { asyncApiDocument } from '@backbone/contracts';
import { ApiRequestBody, Caller, CurrentCaller, Public, Roles } from '@backbone/platform';
import { intakeEventSchema } from './cloudevents.schema';
import { IntegrationConfig } from '../../integration.config';
import { rightsTable } from '../intake-rights/intake-rights';
import { BATCH, checkEvents, readCloudEvents, STRUCTURED } from './cloudevents-request';
import { ReceiveEventsService } from './receive-events.service';

@ApiTags('intake')
@Controller('events')
export class ReceiveEventsHttpController {
  constructor(
    private readonly intake: ReceiveEventsService,
    @Inject(IntegrationConfig) private readonly config: IntegrationConfig,
  ) {}

  // Any agency's client; which event types each department may send is the intake's own table (INTAKE_RIGHTS).
  @Roles('agency')
  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Post CloudEvents (structured, binary or batch mode) of the types your department may send',
    description:
      'Structured: content-type application/cloudevents+json, the event as the body. Binary: ce-specversion, ce-id, ce-source, ' +
      'ce-type (ce-subject, ce-time, ce-correlationid optional) headers and the data as an application/json body. Batch: ' +
      'application/cloudevents-batch+json, a JSON array of structured events, all accepted or none. `source` must be ' +
      '/departments/<your department>[/…]; `id` + `source` is the idempotency key: a replay answers the first receipt, the same ' +
      'key with other content is refused with 422. Who may send which type: GET /events/rights.',
  })
  @ApiConsumes(STRUCTURED, BATCH, 'application/json')
  @ApiRequestBody({
    [STRUCTURED]: intakeEventSchema(),
    [BATCH]: { type: 'array', minItems: 1, maxItems: 100, items: intakeEventSchema() },
  })
  @ApiResponse({ status: 202, description: 'Accepted and handed to the outbox: one receipt per event (accepted or duplicate)' })
  @ApiBadRequestResponse({ description: 'INVALID_CLOUDEVENT, EMPTY_BATCH: every problem named by field (`[i].data.uscc`)' })
  @ApiForbiddenResponse({ description: 'EVENT_TYPE_NOT_ALLOWED, SOURCE_NOT_OWN, SENDER_NOT_OWN' })
  @ApiUnprocessableEntityResponse({ description: 'EVENT_ID_REUSED: same source + id, different content' })
  @ApiUnsupportedMediaTypeResponse({ description: 'UNSUPPORTED_MEDIA_TYPE' })
  async receive(@Req() request: Request, @CurrentCaller() caller: Caller) {
    const events = readCloudEvents(request.headers, request.body, this.config.INTAKE_MAX_BATCH);
    const batch = String(request.headers['content-type'] ?? '').startsWith(BATCH);
    const receipts = await this.intake.accept(caller.department, checkEvents(events, caller.department, this.config.intakeRights, batch));
    return batch ? { receipts } : receipts[0];
  }

  @Public()
  @Get('rights')
  @ApiOperation({ summary: 'Who may post which event type at the intake (INTAKE_RIGHTS)' })
  rights() {
    return rightsTable(this.config.intakeRights);
  }

  @Public()
  @Get('asyncapi')
  @ApiOperation({
    summary: 'The AsyncAPI event catalogue with the intake channel and, per intake type, the departments allowed to send it',
  })
  catalogue() {
    return asyncApiDocument({ path: '/integration/events', rights: rightsTable(this.config.intakeRights) });
  }
}
