import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export const SERVICE_METHODS = ['direct', 'post', 'electronic', 'publication'] as const;

export class ServeDecisionRequest {
  @ApiProperty({ description: 'Who served the decision document (送达人)', example: '李强' }) @IsString() @Length(1, 100) servedBy: string;
  @ApiProperty({ enum: SERVICE_METHODS, description: 'How (直接送达, 邮寄送达, 电子送达, 公告送达)' })
  @IsIn(SERVICE_METHODS)
  method: (typeof SERVICE_METHODS)[number];
  @ApiPropertyOptional({ description: 'Receipt reference (送达回证)' }) @IsOptional() @IsString() @Length(1, 200) receipt?: string;
}
