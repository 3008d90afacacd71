import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { NotFoundError, ParseUsccPipe } from '@backbone/platform';
import { TargetEntity, TargetLicence } from '../target-entity.entity';

@ApiTags('target pool')
@Controller('targets')
export class GetTargetHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':uscc')
  @ApiOperation({ summary: 'One entity of the target pool: tier, lists, key flag, licences, open cases, last inspection' })
  async get(@Param('uscc', ParseUsccPipe) uscc: string) {
    const entity = await this.dataSource.getRepository(TargetEntity).findOneBy({ uscc });
    if (!entity) throw new NotFoundError('target', uscc);
    const licences = await this.dataSource.getRepository(TargetLicence).find({ where: { uscc }, order: { decidedAt: 'ASC' } });
    return {
      uscc: entity.uscc,
      name: entity.name,
      entityType: entity.entityType,
      industry: entity.industry,
      regionCode: entity.regionCode,
      creditTier: entity.creditTier,
      creditLists: entity.creditLists,
      /** On credit's red list with fewer inspections (守信激励): left out of general-items pools within RED_LIST_INSPECTION_INTERVAL_DAYS of its last inspection. */
      redList: entity.redList,
      keySupervision: entity.keySupervision,
      status: entity.status,
      openCases: entity.openCases,
      lastInspectedAt: entity.lastInspectedAt?.toISOString() ?? null,
      lastInspectors: entity.lastInspectors,
      licences: licences.map(({ approvalId, itemCode, approverDepartment, status }) => ({
        approvalId,
        itemCode,
        approverDepartment,
        status,
      })),
      source: entity.source,
    };
  }
}
