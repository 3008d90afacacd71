import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller, isIdempotencyKey, OwnIdempotency, Roles } from '@backbone/platform';
import { EnforcementConfig, hotlineDepartments } from '../../enforcement.config';
import { ComplaintErrors } from '../complaint.errors';
import { complaintView } from '../complaint.view';
import { RegisterComplaintService } from '../register-complaint/register-complaint.service';
import { IntakeHotlineComplaintRequest } from './intake-hotline-complaint.request.dto';

@ApiTags('complaints')
@Controller('complaints/hotline-intake')
export class IntakeHotlineComplaintHttpController {
  constructor(
    private readonly service: RegisterComplaintService,
    private readonly config: EnforcementConfig,
  ) {}

  @Roles('hotline')
  @OwnIdempotency()
  @Post()
  @ApiOperation({
    summary:
      "The 12345 hotline's intake (HOTLINE_DEPARTMENTS only): registers the work order in the department it names; " +
      'a retry with the same Idempotency-Key and body answers the same complaint; the answer comes back as ComplaintAnsweredV1 with the ticket number',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'One per work order (1-100 visible ASCII characters); retries repeat it',
    schema: { type: 'string', pattern: '^[!-~]{1,100}$' },
  })
  @ApiCreatedResponse({ description: 'Registered' })
  @ApiOkResponse({ description: 'A retry: the complaint registered by the first request with this key' })
  @ApiConflictResponse({ description: 'IDEMPOTENCY_KEY_REUSED: the key was used with another body' })
  async intake(
    @CurrentCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Body() request: IntakeHotlineComplaintRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (!hotlineDepartments(this.config).includes(caller.department)) throw ComplaintErrors.notHotline(caller.department);
    if (!key || key.length > 100 || !isIdempotencyKey(key)) throw ComplaintErrors.idempotencyKeyMissing();
    const { complaint, created } = await this.service.intake(caller.department, key, {
      uscc: request.uscc,
      kind: request.kind,
      channel: 'hotline_12345',
      department: request.toDepartment,
      complainant: request.complainant,
      ...(request.contact !== undefined ? { contact: request.contact } : {}),
      content: request.content,
      externalRef: request.ticketNumber,
    });
    response.status(created ? 201 : 200);
    return complaintView(complaint);
  }
}
