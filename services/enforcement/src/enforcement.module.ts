import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import type { EnforcementConfig } from './enforcement.config';
import { DecidePenaltyHttpController } from './cases/decide-penalty/decide-penalty.http.controller';
import { DecidePenaltyService } from './cases/decide-penalty/decide-penalty.service';
import { EnforcementCase } from './cases/enforcement-case.entity';
import { GetCaseHttpController } from './cases/get-case/get-case.http.controller';
import { OpenCaseFromInspectionMessageController } from './cases/open-case-from-inspection/open-case-from-inspection.message.controller';
import { PenaltyDecision } from './cases/penalty-decision.entity';
import { ENFORCEMENT_MIGRATIONS } from './migrations';

export const ENFORCEMENT_SERVICE = {
  name: 'enforcement',
  title: 'Enforcement service',
  description:
    'Enforcement cases opened from inspection violations, and penalty decisions. Penalties and licence actions flow back to the approver and into the credit record.',
};

@Module({})
export class EnforcementModule {
  static forRoot(config: EnforcementConfig): DynamicModule {
    return {
      module: EnforcementModule,
      imports: [
        PlatformModule.forRoot({
          service: ENFORCEMENT_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES, EnforcementCase, PenaltyDecision],
          migrations: ENFORCEMENT_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [DecidePenaltyHttpController, GetCaseHttpController, OpenCaseFromInspectionMessageController],
      providers: [DecidePenaltyService],
    };
  }
}
