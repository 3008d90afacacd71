import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { RegisterEntityRequest } from './register-entity.request.dto';
import { RegisterEntityService } from './register-entity.service';

@ApiTags('registrations')
@Controller('registrations')
export class RegisterEntityHttpController {
  constructor(private readonly service: RegisterEntityService) {}

  @Roles('registrar')
  @Post()
  @ApiOperation({ summary: 'Market regulator: post an entity registration; the licences its scope needs are told both ways (双告知)' })
  @ApiCreatedResponse({ description: 'The registration with the licences needed and the departments notified' })
  register(@CurrentCaller() caller: Caller, @Body() request: RegisterEntityRequest) {
    return this.service.register(caller.department, request);
  }
}
