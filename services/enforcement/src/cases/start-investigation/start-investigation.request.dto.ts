import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class StartInvestigationRequest {
  @ApiProperty({ description: 'The investigating officer (承办人)', example: '李强' }) @IsString() @Length(1, 100) investigator: string;
}
