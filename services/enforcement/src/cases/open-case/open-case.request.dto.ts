import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsUscc } from '@backbone/contracts';

/** A case opened by hand by the caller's department (e.g. on its own finding). */
export class OpenCaseRequest {
  @ApiProperty({ example: '91320700MA1MXXK01L' }) @IsUscc() uscc: string;
  @ApiProperty({ example: ['FOOD-HYGIENE-01'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^[A-Z0-9-]{1,64}$/, { each: true })
  violationCodes: string[];
  @ApiPropertyOptional() @IsOptional() @IsUUID() approvalId?: string;
  @ApiProperty({ description: 'The person who opens the case (立案人)', example: '王芳' }) @IsString() @Length(1, 100) openedBy: string;
  @ApiProperty({ description: 'Why (案件来源及理由)' }) @IsString() @Length(1, 2000) reason: string;
}
