import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { CreateCatalogEntryRequest } from './create-catalog-entry.request.dto';
import { CreateCatalogEntryService } from './create-catalog-entry.service';

@ApiTags('catalog')
@Controller('catalog-entries')
export class CreateCatalogEntryHttpController {
  constructor(private readonly service: CreateCatalogEntryService) {}

  @Roles('catalog-admin')
  @Post()
  @ApiOperation({ summary: 'Catalog administrators: add a catalog entry; waiting approvals it covers are routed at once' })
  @ApiCreatedResponse({ description: 'The entry (version 1) and the tasks routed from the supervision vacuum' })
  create(@CurrentCaller() caller: Caller, @Body() request: CreateCatalogEntryRequest) {
    return this.service.create(caller.department, request);
  }
}
