import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export class HandAssignTaskRequest {
  @ApiProperty({ description: 'The department that must supervise the task', example: '320700-HEALTH' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  department: string;

  @ApiProperty({ description: 'Why this department (kept on the task)', example: '经协调由卫生健康委监管' })
  @IsString()
  @Length(1, 500)
  reason: string;

  @ApiPropertyOptional({ description: 'Claim deadline in working days (default 2)', minimum: 1, maximum: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  claimDeadlineDays?: number;
}
