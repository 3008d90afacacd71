import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** A correction of an approval's particulars (变更). At least one particular must be given. */
@JSONSchema({ anyOf: [{ required: ['entityName'] }, { required: ['licenceNumber'] }, { required: ['regionCode'] }] })
export class AmendApprovalRequest {
  @ApiProperty({ example: '企业名称变更' }) @IsString() @Length(1, 500) reason: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) entityName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) licenceNumber?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'regionCode must be a six-digit administrative division code' })
  regionCode?: string;
}
