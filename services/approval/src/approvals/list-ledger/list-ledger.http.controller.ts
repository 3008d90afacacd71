import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@backbone/platform';
import { ListLedgerQuery } from './list-ledger.request.dto';
import { ListLedgerService } from './list-ledger.service';

@ApiTags('reconciliation')
@Controller('ledger')
export class ListLedgerHttpController {
  constructor(private readonly service: ListLedgerService) {}

  @Get('approvals')
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operators (and the reconciliation of the other end): the granted approvals of a period in decision order, each with how far ' +
      'its `decided` event got on this side (in the outbox, sent, held); cursor-paginated',
  })
  list(@Query() query: ListLedgerQuery) {
    return this.service.page(new Date(query.from), new Date(query.to), query.cursor, query.limit ?? 500);
  }
}
