import { IsRfc3339 } from '@backbone/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsUscc } from '@backbone/contracts';

/** An entity registration by the market regulator: business scope as text, licence item codes, or both. */
export class RegisterEntityRequest {
  @ApiProperty() @IsUscc() uscc: string;
  @ApiProperty({ example: '连云港某某餐饮有限公司' }) @IsString() @Length(1, 200) entityName: string;
  @ApiProperty({ example: '320703' })
  @Matches(/^\d{6}$/, { message: 'regionCode must be a six-digit administrative division code' })
  regionCode: string;

  @ApiProperty({
    description: 'Business scope (经营范围) as registered; keywords are mapped to licence items',
    example: '餐饮服务；食品销售',
  })
  @IsString()
  @Length(1, 2000)
  businessScope: string;

  @ApiPropertyOptional({
    description: 'Licence item codes named directly (in addition to the scope keywords)',
    example: ['DRUG-RETAIL-LICENCE'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  itemCodes?: string[];

  @ApiPropertyOptional({ description: 'When the entity was registered; defaults to now' })
  @IsOptional()
  @IsRfc3339('date-time')
  registeredAt?: string;
}
