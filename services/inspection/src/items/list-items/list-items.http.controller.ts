import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource, IsNull } from 'typeorm';
import { NotFoundError, Public } from '@backbone/platform';
import { InspectionItem, itemView } from '../inspection-item.entity';
import { ItemCodePipe } from './item-code.pipe';

/** The list is public (the rules require it published): no key needed. */
@ApiTags('public')
@Controller('public/items')
export class ListItemsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The current spot-check item list (一单), of every department or of one; withdrawn items left out' })
  @ApiQuery({ name: 'department', required: false })
  @ApiOkResponse({ description: '{ items: [...] } ordered by department and code' })
  async list(@Query('department') department?: string) {
    const items = await this.dataSource.getRepository(InspectionItem).find({
      where: { supersededAt: IsNull(), withdrawn: false, ...(department ? { department: String(department) } : {}) },
      order: { department: 'ASC', code: 'ASC' },
    });
    return { items: items.map(itemView) };
  }

  @Public()
  @Get(':department/:code/versions')
  @ApiOperation({ summary: "Every version of one item, oldest first (the list's history)" })
  async versions(@Param('department') department: string, @Param('code', ItemCodePipe) code: string) {
    const items = await this.dataSource.getRepository(InspectionItem).find({ where: { department, code }, order: { version: 'ASC' } });
    if (items.length === 0) throw new NotFoundError('item', `${department}/${code}`);
    return { versions: items.map(itemView) };
  }
}
