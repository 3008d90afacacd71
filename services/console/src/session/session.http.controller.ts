import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../console.config';

/** Sign-in: the console page checks the department's API key here and learns what it may see. */
@ApiTags('session')
@Controller('session')
export class SessionHttpController {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig) {}

  @Get()
  @ApiOperation({ summary: 'Who the API key acts for, whether it is an operator department, and the refresh interval' })
  session(@CurrentCaller() caller: Caller) {
    return { department: caller.department, operator: this.config.isOperator(caller.department), refreshMs: this.config.REFRESH_MS };
  }
}
