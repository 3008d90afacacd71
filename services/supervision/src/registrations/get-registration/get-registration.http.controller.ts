import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RegisterEntityService } from '../register-entity/register-entity.service';
import { Caller, CurrentCaller } from '@backbone/platform';

@ApiTags('registrations')
@Controller('registrations')
export class GetRegistrationHttpController {
  constructor(private readonly service: RegisterEntityService) {}

  @Get(':id')
  @ApiOperation({ summary: 'A registration: the licences its scope needs, whether each was granted, the feedback of each department' })
  get(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.service.get(id, caller.department);
  }
}
