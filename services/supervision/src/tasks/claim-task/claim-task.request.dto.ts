import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ClaimTaskRequest {
  @ApiProperty({ description: 'The official who will handle the task (承办人)', example: '王芳' })
  @IsString()
  @Length(1, 100)
  handler: string;
}
