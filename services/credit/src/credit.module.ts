import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import type { CreditConfig } from './credit.config';
import { CreditEntry } from './credit-records/credit-entry.entity';
import { GetCreditRecordHttpController } from './credit-records/get-credit-record/get-credit-record.http.controller';
import { RecordCreditFactsMessageController } from './credit-records/record-credit-facts/record-credit-facts.message.controller';
import { CREDIT_MIGRATIONS } from './migrations';

export const CREDIT_SERVICE = {
  name: 'credit',
  title: 'Credit service',
  description:
    'One credit record per USCC, gathering inspection results and penalty decisions as they are published; queryable by USCC.',
};

@Module({})
export class CreditModule {
  static forRoot(config: CreditConfig): DynamicModule {
    return {
      module: CreditModule,
      imports: [
        PlatformModule.forRoot({
          service: CREDIT_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES, CreditEntry],
          migrations: CREDIT_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [GetCreditRecordHttpController, RecordCreditFactsMessageController],
      providers: [],
    };
  }
}
