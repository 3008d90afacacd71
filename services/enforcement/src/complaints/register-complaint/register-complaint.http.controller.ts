import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { Complaint } from '../complaint.entity';
import { RegisterComplaintRequest } from './register-complaint.request.dto';
import { assertKnownViolationCodes } from '../../benchmarks/known-violation-codes';

@ApiTags('complaints')
@Controller('complaints')
export class RegisterComplaintHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Roles('enforcer')
  @Post()
  @ApiOperation({ summary: "Register a complaint or report in the caller's department" })
  @ApiCreatedResponse({ description: 'The registered complaint' })
  async register(@CurrentCaller() caller: Caller, @Body() request: RegisterComplaintRequest): Promise<Complaint> {
    const complaint = Object.assign(new Complaint(), {
      id: randomUUID(),
      uscc: request.uscc,
      department: caller.department,
      complainant: request.complainant,
      contact: request.contact ?? null,
      content: request.content,
      violationCodes: request.violationCodes ?? [],
      status: 'registered' as const,
      caseId: null,
      answer: null,
      registeredAt: new Date(),
      answeredAt: null,
      transfers: [],
    } satisfies Complaint);
    await assertKnownViolationCodes(this.dataSource.manager, complaint.violationCodes);
    await this.dataSource.getRepository(Complaint).insert(complaint);
    return complaint;
  }
}
