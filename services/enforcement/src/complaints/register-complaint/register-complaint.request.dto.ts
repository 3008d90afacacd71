import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { COMPLAINT_KINDS, ComplaintKind, IsUscc } from '@backbone/contracts';

export class RegisterComplaintRequest {
  @ApiProperty({ description: 'The entity complained about', example: '91320700MA1MXXK01L' }) @IsUscc() uscc: string;
  @ApiPropertyOptional({
    enum: COMPLAINT_KINDS,
    default: 'complaint',
    description: '投诉 complaint, 举报 report, 紧急 urgent: sets the working days to answer by',
  })
  @IsOptional()
  @IsIn(COMPLAINT_KINDS)
  kind?: ComplaintKind;
  @ApiProperty({ description: 'The complainant (kept confidential)', example: '张女士' }) @IsString() @Length(1, 100) complainant: string;
  @ApiPropertyOptional({ description: 'How to answer the complainant' }) @IsOptional() @IsString() @Length(1, 200) contact?: string;
  @ApiProperty({ description: 'What is complained of' }) @IsString() @Length(1, 4000) content: string;
  @ApiPropertyOptional({ description: 'Violation codes, if the registering officer can name them', example: ['FOOD-HYGIENE-01'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Z0-9-]{1,64}$/, { each: true })
  violationCodes?: string[];
}
