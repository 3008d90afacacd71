import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsUscc } from '@backbone/contracts';

/** A department found an entity operating without a business licence and/or a permit. */
export class ReportUnlicensedOperationRequest {
  @ApiProperty() @IsUscc() uscc: string;
  @ApiProperty() @IsString() @Length(1, 200) entityName: string;
  @ApiProperty({ example: '320703' })
  @Matches(/^\d{6}$/, { message: 'regionCode must be a six-digit administrative division code' })
  regionCode: string;
  @ApiProperty({ description: 'Whether the entity holds a business licence (营业执照)' }) @IsBoolean() hasBusinessLicence: boolean;
  @ApiPropertyOptional({ description: 'The licence item it operates without (required when it holds a business licence)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  itemCode?: string;
  @ApiProperty({ example: '现场发现未取得公共场所卫生许可证即开展住宿经营' }) @IsString() @Length(1, 1000) reason: string;
}
