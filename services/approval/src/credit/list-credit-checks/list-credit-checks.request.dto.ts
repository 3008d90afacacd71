import { ApiProperty } from '@nestjs/swagger';
import { IsUscc } from '@backbone/contracts';

export class ListCreditChecksQuery {
  @ApiProperty({ description: 'Unified social credit code of the entity' }) @IsUscc() uscc: string;
}
