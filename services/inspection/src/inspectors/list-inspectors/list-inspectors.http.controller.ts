import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Inspector, inspectorView } from '../inspector.entity';

@ApiTags('inspector pool')
@Controller('inspectors')
export class ListInspectorsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: "A department's inspectors (active and inactive), by certificate number" })
  @ApiQuery({ name: 'department', required: true })
  async list(@Query('department') department: string) {
    const inspectors = await this.dataSource.getRepository(Inspector).find({
      where: { department: String(department ?? '') },
      order: { certificateNumber: 'ASC' },
    });
    return { inspectors: inspectors.map(inspectorView) };
  }
}
