import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsUscc } from '@backbone/contracts';
import { PageQuery } from '@backbone/platform';

/** `cursor`, `limit` (default 100) and the list's own filters. */
export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: "Only this entity's notifications (USCC)" })
  @IsOptional()
  @IsUscc()
  uscc?: string;
  @ApiPropertyOptional({ description: 'Operators only: the notifications of this licensing department (default: all)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  licensingDepartment?: string;
}
