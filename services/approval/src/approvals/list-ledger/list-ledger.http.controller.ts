import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@backbone/platform';
import { LedgerCountsQuery, ListLedgerQuery } from './list-ledger.request.dto';
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

  @Get('approvals/counts')
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operators (and the reconciliation of the other end): the granted approvals of a period counted per time bucket, with a ' +
      'checksum of their ids, so that a reader compares counts and reads entries only where they differ',
  })
  counts(@Query() query: LedgerCountsQuery) {
    return this.service.counts(new Date(query.from), new Date(query.to), query.bucketSeconds ?? 3600);
  }
}
