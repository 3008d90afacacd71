import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** Evidence added to a pending repair application (补充材料): rectification evidence, a commitment, or both. */
export class AddRepairEvidenceRequest {
  @ApiPropertyOptional({ description: "Rectification evidence (整改材料); replaces the application's, the earlier stays in `supplements`" })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  rectificationEvidence?: string;

  @ApiPropertyOptional({
    description: "The credit commitment (信用承诺书); replaces the application's, the earlier stays in `supplements`",
  })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  commitment?: string;
}
