import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class RaiseObjectionRequest {
  @ApiProperty({ description: 'The record entry disputed (`id` in the full record)', example: '42' })
  @Matches(/^[1-9]\d{0,17}$/, { message: 'entryId must be the numeric id of a record entry' })
  entryId: string;

  @ApiProperty({ example: '该处罚决定已被行政复议撤销' }) @IsString() @Length(1, 4000) grounds: string;
}
