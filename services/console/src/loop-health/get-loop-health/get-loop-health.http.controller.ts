import { Controller, Get, Headers, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_KEY_HEADER, Roles } from '@backbone/platform';
import { ServiceCalls } from '../../service-calls';
import { GetLoopHealthService } from './get-loop-health.service';

@ApiTags('loop health')
@Controller('loop-health')
export class GetLoopHealthHttpController {
  constructor(
    private readonly service: GetLoopHealthService,
    private readonly calls: ServiceCalls,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Per service: ready, outbox backlog and oldest unsent age per topic, consumer lag, open dead letters, reconciliation',
  })
  health() {
    return this.service.health();
  }

  @Roles('operator')
  @Get(':service/dead-letters')
  @ApiOperation({ summary: "A service's open dead letters (operator departments)" })
  deadLetters(@Headers(API_KEY_HEADER) key: string, @Param('service') service: string) {
    return this.calls.forward(service, 'GET', '/admin/dead-letters?status=open', key);
  }
}
