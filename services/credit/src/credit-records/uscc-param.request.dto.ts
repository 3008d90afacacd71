import { ApiProperty } from '@nestjs/swagger';
import { IsUscc } from '@backbone/contracts';

/**
 * `@Param() { uscc }: UsccParam`: every route keyed by a USCC refuses a wrong one before doing anything,
 * through the same validation as every body and query, so a bad USCC is `VALIDATION_FAILED` naming the
 * field `uscc` and the rule `isUscc` here as in the other services (the message says shape or check character).
 */
export class UsccParam {
  @ApiProperty({ description: 'Unified social credit code (GB 32100-2015)', example: '91320700MA1MXXK01L' })
  @IsUscc()
  uscc: string;
}
