import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { inspectionError } from '../../inspection.errors';
import { Inspector, inspectorView } from '../inspector.entity';
import { RegisterInspectorRequest } from './register-inspector.request.dto';

@ApiTags('inspector pool')
@Controller('inspectors')
export class RegisterInspectorHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Post()
  @ApiOperation({ summary: "Adds an inspector to the caller's department in the inspector pool" })
  @ApiCreatedResponse({ description: 'The inspector (active)' })
  async register(@CurrentCaller() caller: Caller, @Body() request: RegisterInspectorRequest) {
    const inspector = this.dataSource.getRepository(Inspector).create({
      id: randomUUID(),
      department: caller.department,
      name: request.name,
      certificateNumber: request.certificateNumber,
      regionCode: request.regionCode,
      specialities: request.specialities,
      expert: request.expert ?? false,
      active: true,
      registeredAt: new Date(),
    });
    const inserted = await this.dataSource.query(
      `INSERT INTO inspector (id, department, name, certificate_number, region_code, specialities, expert, active, registered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8) ON CONFLICT (certificate_number) DO NOTHING RETURNING id`,
      [
        inspector.id,
        inspector.department,
        inspector.name,
        inspector.certificateNumber,
        inspector.regionCode,
        inspector.specialities,
        inspector.expert,
        inspector.registeredAt,
      ],
    );
    if (inserted.length === 0) {
      throw inspectionError('DUPLICATE_CERTIFICATE', `certificateNumber: ${request.certificateNumber} is registered already`);
    }
    return inspectorView(inspector);
  }
}
