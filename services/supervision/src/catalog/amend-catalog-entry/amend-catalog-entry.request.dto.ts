import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CreateCatalogEntryRequest } from '../create-catalog-entry/create-catalog-entry.request.dto';

/** An amendment: any element may change except the region (a new region is a new entry); a note says why. */
export class AmendCatalogEntryRequest extends PartialType(OmitType(CreateCatalogEntryRequest, ['regionCode'] as const)) {
  @ApiProperty({ description: 'Why the entry changes (kept in its history)', example: '职责调整' })
  @IsString()
  @Length(1, 500)
  changeNote: string;
}
