import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { itemView } from '../inspection-item.entity';
import { ItemCodePipe } from '../list-items/item-code.pipe';
import { DefineItemRequest } from './define-item.request.dto';
import { DefineItemService } from './define-item.service';

@ApiTags('items')
@Controller('items')
export class DefineItemHttpController {
  constructor(private readonly service: DefineItemService) {}

  @Put(':code')
  @ApiOperation({ summary: "Add or change an item of the caller's spot-check list (一单): a new version; the old one stays readable" })
  @ApiOkResponse({ description: 'The new current version' })
  async define(@CurrentCaller() caller: Caller, @Param('code', ItemCodePipe) code: string, @Body() request: DefineItemRequest) {
    return itemView(await this.service.define(caller.department, code, request));
  }
}
