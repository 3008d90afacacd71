import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsUscc } from '@backbone/contracts';

export class ListNotificationsQuery {
  @ApiPropertyOptional({ description: "Only this entity's notifications (USCC)" })
  @IsOptional()
  @IsUscc()
  uscc?: string;
  @ApiPropertyOptional({ description: 'Operators only: the notifications of this licensing department (default: all)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  licensingDepartment?: string;
  @ApiPropertyOptional({ description: 'The `next` value of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
  @ApiPropertyOptional({ description: 'Notifications per page (1–500)', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
