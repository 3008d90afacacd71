import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JSONSchema } from 'class-validator-jsonschema';
import { EVENT_CATALOG } from '@backbone/contracts';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';

export class SubscribeRequest {
  @ApiProperty({ example: 'https://hotline.example.gov.cn/backbone/webhooks', description: 'http(s) URL that receives the POSTs' })
  // The shape here (400 when broken); that a URL parser reads a host in it is checked by the use case (422)
  @Matches(/^https?:\/\/\S+$/, { message: 'url must be an absolute http(s) URL' })
  @Length(1, 2000)
  @JSONSchema({ format: 'uri' })
  url: string;

  @ApiProperty({
    example: ['backbone.approval.decided.v1', 'backbone.enforcement.penalty-decided.v1'],
    description: 'CloudEvents types (see /api/events)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @JSONSchema({ items: { enum: EVENT_CATALOG.map((eventClass) => eventClass.type) } }) // the others: 400 UNKNOWN_EVENT_TYPE
  eventTypes: string[];

  @ApiPropertyOptional({
    description: 'Shared secret, Standard Webhooks format whsec_<base64 of 24-64 random bytes>; made here and returned once when omitted',
  })
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, { message: 'secret must be whsec_ followed by the base64 of 24 to 64 random bytes' })
  secret?: string;
}
