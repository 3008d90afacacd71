import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

/** An application for credit repair of one entry of the record (a list entry, a penalty, a breach, a failed inspection). */
export class ApplyForRepairRequest {
  @ApiProperty({ description: 'The record entry to repair (`id` in the full record)', example: '42' })
  @Matches(/^[1-9]\d{0,17}$/, { message: 'entryId must be the numeric id of a record entry' })
  entryId: string;

  @ApiProperty({ example: '已按要求完成整改并缴清罚款' }) @IsString() @Length(1, 2000) reason: string;

  @ApiPropertyOptional({ description: 'Rectification evidence (整改材料): what was done, with references to documents' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  rectificationEvidence?: string;

  @ApiPropertyOptional({ description: 'The credit commitment (信用承诺书) the entity signs' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  commitment?: string;
}
