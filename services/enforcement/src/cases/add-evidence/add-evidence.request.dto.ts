import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class AddEvidenceRequest {
  @ApiProperty({ description: 'Who collected it', example: '李强' }) @IsString() @Length(1, 100) collectedBy: string;
  @ApiProperty({ description: 'What it is', example: '后厨现场照片 12 张' }) @IsString() @Length(1, 2000) description: string;
  @ApiProperty({ description: 'Where it is kept (file number, storage reference, document hash)', example: 'EV-2026-0412' })
  @IsString()
  @Length(1, 200)
  reference: string;
}
