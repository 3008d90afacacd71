import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class TransferComplaintRequest {
  @ApiProperty({ description: 'The competent department', example: '320700-HEALTH' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  toDepartment: string;
  @ApiProperty({ description: 'Why it is theirs' }) @IsString() @Length(1, 1000) reason: string;
  @ApiProperty({ description: 'Who transfers it', example: '王芳' }) @IsString() @Length(1, 100) transferredBy: string;
}
