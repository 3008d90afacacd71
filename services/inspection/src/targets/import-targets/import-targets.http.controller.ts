import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Caller, CurrentCaller, NotFoundError, Roles } from '@backbone/platform';
import { InspectionConfig } from '../../inspection.config';
import { inspectionError } from '../../inspection.errors';
import { importView, PoolImport } from './pool-import.entity';
import { ImportTargetsService } from './import-targets.service';
import { DataSource } from 'typeorm';

@ApiTags('target pool')
@Controller('targets/imports')
export class ImportTargetsHttpController {
  constructor(
    private readonly service: ImportTargetsService,
    private readonly config: InspectionConfig,
    private readonly dataSource: DataSource,
  ) {}

  @Roles('pool-keeper')
  @Post()
  @HttpCode(201)
  @ApiConsumes('application/x-ndjson', 'text/csv')
  @ApiBody({
    required: true,
    // any text is read: lines that are not entities come back as rejected rows, so there is no type to violate
    schema: { description: 'One entity per line (a JSON object, or a CSV row under a header row)' },
  })
  @ApiOperation({
    summary: 'Bulk import of a pre-existing register into the target pool (pool keepers only)',
    description:
      'The body is streamed: NDJSON (one object per line) or CSV with a header line; fields uscc, name, regionCode, ' +
      'entityType, industry, creditTier, keySupervision, status. Each row is validated on its own; rejected rows are ' +
      'reported with their line and problems and never stop the import. Progress: GET /targets/imports/{id}. ' +
      'The response (the report) comes when the body has been read.',
  })
  @ApiCreatedResponse({ description: 'The import report' })
  async import(@CurrentCaller() caller: Caller, @Req() request: Request) {
    if (!this.config.isPoolKeeper(caller.department)) {
      throw inspectionError('NOT_POOL_KEEPER', `only POOL_KEEPER_DEPARTMENTS import into the target pool; ${caller.department} is not one`);
    }
    const format = ImportTargetsService.formatOf(request.header('content-type'));
    return importView(await this.service.run(caller.department, format, request));
  }

  @Get(':id')
  @ApiOperation({ summary: "An import's progress and report" })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    const job = await this.dataSource.getRepository(PoolImport).findOneBy({ id });
    if (!job) throw new NotFoundError('import', id);
    return importView(job);
  }
}
