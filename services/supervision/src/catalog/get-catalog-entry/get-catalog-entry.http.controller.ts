import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { ArrayContains, DataSource } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { catalogEntryView } from '../catalog-admin';
import { CatalogEntry, CatalogEntryVersion } from '../catalog-entry.entity';

class ListCatalogQuery {
  @IsOptional() @IsString() @Length(1, 64) approvalItemCode?: string;
  @IsOptional() @Matches(/^\d{6}$/) regionCode?: string;
}

@ApiTags('catalog')
@Controller('catalog-entries')
export class GetCatalogEntryHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'The catalog (current versions), by approval item or region' })
  async list(@Query() query: ListCatalogQuery) {
    const entries = await this.dataSource.getRepository(CatalogEntry).find({
      where: {
        ...(query.approvalItemCode ? { approvalItemCodes: ArrayContains([query.approvalItemCode]) } : {}),
        ...(query.regionCode ? { regionCode: query.regionCode } : {}),
      },
      order: { regionCode: 'ASC', itemCode: 'ASC' },
      take: 1000,
    });
    return entries.map(catalogEntryView);
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const entry = await this.dataSource.getRepository(CatalogEntry).findOneBy({ id });
    if (!entry) throw new NotFoundError('catalog entry', id);
    return catalogEntryView(entry);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every version of an entry, oldest first' })
  async history(@Param('id', new ParseUUIDPipe()) id: string) {
    const versions = await this.dataSource.getRepository(CatalogEntryVersion).find({ where: { entryId: id }, order: { version: 'ASC' } });
    if (versions.length === 0) throw new NotFoundError('catalog entry', id);
    return versions;
  }
}
