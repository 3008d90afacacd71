import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { complaintView } from '../complaint.view';
import { RegisterComplaintRequest } from './register-complaint.request.dto';
import { RegisterComplaintService } from './register-complaint.service';

@ApiTags('complaints')
@Controller('complaints')
export class RegisterComplaintHttpController {
  constructor(private readonly service: RegisterComplaintService) {}

  @Post()
  @ApiOperation({ summary: "Register a complaint or report in the caller's department, with its answer deadline and repeat link" })
  @ApiCreatedResponse({ description: 'The registered complaint' })
  async register(@CurrentCaller() caller: Caller, @Body() request: RegisterComplaintRequest) {
    const complaint = await this.service.register({
      uscc: request.uscc,
      kind: request.kind ?? 'complaint',
      channel: 'window',
      department: caller.department,
      complainant: request.complainant,
      ...(request.contact !== undefined ? { contact: request.contact } : {}),
      content: request.content,
      ...(request.violationCodes !== undefined ? { violationCodes: request.violationCodes } : {}),
    });
    return complaintView(complaint);
  }
}
