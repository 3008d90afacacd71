import { Body, Controller, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, NotFoundError } from '@backbone/platform';
import { inspectionError } from '../../inspection.errors';
import { Inspector, inspectorView } from '../inspector.entity';

export class ChangeInspectorRequest {
  @ApiProperty({ description: 'false: no longer drawn (transferred, retired, certificate expired)' }) @IsBoolean() active: boolean;
}

@ApiTags('inspector pool')
@Controller('inspectors')
export class ChangeInspectorHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Activates or deactivates an inspector of the caller’s department' })
  async change(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string, @Body() request: ChangeInspectorRequest) {
    const repository = this.dataSource.getRepository(Inspector);
    const inspector = await repository.findOneBy({ id });
    if (!inspector) throw new NotFoundError('inspector', id);
    if (inspector.department !== caller.department) {
      throw inspectionError('NOT_OWNER_DEPARTMENT', `inspector ${id} belongs to ${inspector.department}, not to ${caller.department}`);
    }
    await repository.update({ id }, { active: request.active });
    return inspectorView({ ...inspector, active: request.active });
  }
}
