import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, Matches } from 'class-validator';

export class OpenCaseFromComplaintRequest {
  @ApiProperty({ description: 'Who opens the case', example: '王芳' }) @IsString() @Length(1, 100) openedBy: string;
  @ApiProperty({ description: 'The violation codes the case is opened for', example: ['FOOD-HYGIENE-01'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^[A-Z0-9-]{1,64}$/, { each: true })
  violationCodes: string[];
}
