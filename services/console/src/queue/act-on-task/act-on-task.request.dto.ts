import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ClaimRequest {
  @ApiProperty({ description: 'The official who will handle the task (承办人)', example: '王芳' })
  @IsString()
  @Length(1, 100)
  handler: string;
}

export class ReturnRequest {
  @ApiProperty({ description: 'Why the department is not responsible (退回理由)', example: '该事项不属于本部门监管职责' })
  @IsString()
  @Length(1, 500)
  reason: string;
}
