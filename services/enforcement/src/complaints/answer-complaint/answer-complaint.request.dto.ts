import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class AnswerComplaintRequest {
  @ApiProperty({ description: 'The answer to the complainant (答复)' }) @IsString() @Length(1, 4000) answer: string;
}
