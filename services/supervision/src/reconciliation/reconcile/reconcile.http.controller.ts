import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReconcileQuery } from './reconcile.request.dto';
import { ReconcileService } from './reconcile.service';
import { Roles } from '@backbone/platform';

@ApiTags('reconciliation')
@Controller('reconciliation')
export class ReconcileHttpController {
  constructor(private readonly service: ReconcileService) {}

  @Get()
  @Roles('operator')
  @ApiOperation({
    summary:
      "Granted approvals of a period (the approval service's ledger and what this service saw) without a claimed task and " +
      'without an open escalation, each with where it stopped; and the overdue commitment verifications',
  })
  reconcile(@Query() query: ReconcileQuery) {
    return this.service.reconcile(new Date(query.from), new Date(query.to));
  }
}
