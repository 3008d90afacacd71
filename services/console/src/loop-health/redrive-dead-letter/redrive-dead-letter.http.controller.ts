import { Controller, Headers, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_KEY_HEADER } from '@backbone/platform';
import { ServiceCalls } from '../../service-calls';

/** Re-drive from the health page: the service's own endpoint, with the operator's own key. */
@ApiTags('loop health')
@Controller('loop-health')
export class RedriveDeadLetterHttpController {
  constructor(private readonly calls: ServiceCalls) {}

  @Post(':service/dead-letters/:id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: "Re-drive one of a service's dead letters (operator departments)" })
  redrive(@Headers(API_KEY_HEADER) key: string, @Param('service') service: string, @Param('id', ParseIntPipe) id: number) {
    return this.calls.forward(service, 'POST', `/admin/dead-letters/${id}/redrive`, key);
  }
}
