import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ReturnTaskRequest {
  @ApiProperty({ description: 'Why the department is not responsible for this task', example: '该事项不属于本部门监管职责' })
  @IsString()
  @Length(1, 500)
  reason: string;
}
