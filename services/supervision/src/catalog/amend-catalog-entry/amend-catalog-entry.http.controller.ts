import { Body, Controller, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { AmendCatalogEntryRequest } from './amend-catalog-entry.request.dto';
import { AmendCatalogEntryService } from './amend-catalog-entry.service';

@ApiTags('catalog')
@Controller('catalog-entries')
export class AmendCatalogEntryHttpController {
  constructor(private readonly service: AmendCatalogEntryService) {}

  @Roles('catalog-admin')
  @Patch(':id')
  @ApiOperation({ summary: 'Catalog administrators: amend an entry (new version, history kept); waiting approvals it covers are routed' })
  amend(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: AmendCatalogEntryRequest) {
    return this.service.amend(caller.department, id, request);
  }
}
