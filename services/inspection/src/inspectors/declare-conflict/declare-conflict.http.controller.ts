import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { DataSource } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { Caller, CurrentCaller, NotFoundError } from '@backbone/platform';
import { inspectionError } from '../../inspection.errors';
import { Inspector } from '../inspector.entity';

export class DeclareConflictRequest {
  @ApiProperty({ example: '91320700MA1MXXK01L' }) @IsUscc() uscc: string;
  @ApiProperty({ example: '近亲属任该企业法定代表人' }) @IsString() @Length(1, 500) reason: string;
}

/**
 * Conflicts of interest (回避) are declared by the inspector's department, per entity. A conflict
 * frozen into a task's pool snapshot binds that task's draws; one declared later binds later freezes.
 */
@ApiTags('inspector pool')
@Controller('inspectors')
export class DeclareConflictHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Post(':id/conflicts')
  @ApiOperation({ summary: 'Declares a conflict of interest (回避) between an inspector and an entity' })
  @ApiCreatedResponse({ description: 'Declared (declaring it again changes nothing)' })
  async declare(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string, @Body() request: DeclareConflictRequest) {
    const inspector = await this.dataSource.getRepository(Inspector).findOneBy({ id });
    if (!inspector) throw new NotFoundError('inspector', id);
    if (inspector.department !== caller.department) {
      throw inspectionError('NOT_OWNER_DEPARTMENT', `inspector ${id} belongs to ${inspector.department}, not to ${caller.department}`);
    }
    await this.dataSource.query(
      `INSERT INTO inspector_conflict (inspector_id, uscc, reason) VALUES ($1, $2, $3) ON CONFLICT (inspector_id, uscc) DO NOTHING`,
      [id, request.uscc, request.reason],
    );
    return { inspectorId: id, uscc: request.uscc, reason: request.reason };
  }
}
