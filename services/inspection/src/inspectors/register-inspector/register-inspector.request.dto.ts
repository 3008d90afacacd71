import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';

/** An inspector of the caller's department. */
export class RegisterInspectorRequest {
  @ApiProperty({ example: '李强' }) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ description: 'Enforcement certificate number (执法证号), unique', example: '32070019001' })
  @Matches(/^[A-Za-z0-9-]{4,32}$/)
  certificateNumber: string;
  @ApiProperty({ example: '320700' }) @Matches(/^\d{6}$/) regionCode: string;
  @ApiPropertyOptional({ example: ['food', 'pharmaceuticals'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  specialities: string[] = [];
  @ApiPropertyOptional({ description: 'An expert (专家库) rather than an enforcement officer' })
  @IsOptional()
  @IsBoolean()
  expert?: boolean;
}
