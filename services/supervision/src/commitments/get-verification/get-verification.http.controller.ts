import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { CommitmentVerification } from '../commitment-verification.entity';

class ListVerificationsQuery {
  @IsOptional() @IsUUID() approvalId?: string;
  @IsOptional() @IsUscc() uscc?: string;
}

@ApiTags('commitments')
@Controller('commitment-verifications')
export class GetVerificationHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Commitment verifications by approval or entity, with due date, result, and whether it is overdue' })
  async list(@Query() query: ListVerificationsQuery) {
    const now = Date.now();
    const rows = await this.dataSource.getRepository(CommitmentVerification).find({
      where: { ...(query.approvalId ? { approvalId: query.approvalId } : {}), ...(query.uscc ? { uscc: query.uscc } : {}) },
      order: { dueAt: 'ASC' },
      take: 500,
    });
    return rows.map((row) => ({ ...row, overdue: row.verifiedAt === null && row.dueAt.getTime() < now }));
  }
}
