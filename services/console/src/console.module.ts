import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { domainMetrics, PlatformModule } from '@backbone/platform';
import { CONSOLE_METRICS } from './console.metrics';
import type { ConsoleConfig } from './console.config';
import { GetDutyFiguresHttpController } from './figures/get-duty-figures/get-duty-figures.http.controller';
import { GetDutyOverviewHttpController } from './figures/get-duty-figures/get-duty-overview.http.controller';
import { GetDutyFiguresService } from './figures/get-duty-figures/get-duty-figures.service';
import { GetEnforcementFiguresHttpController } from './figures/get-enforcement-figures/get-enforcement-figures.http.controller';
import { GetEnforcementFiguresService } from './figures/get-enforcement-figures/get-enforcement-figures.service';
import { GetInspectionFiguresHttpController } from './figures/get-inspection-figures/get-inspection-figures.http.controller';
import { GetInspectionFiguresService } from './figures/get-inspection-figures/get-inspection-figures.service';
import { GetLoopHealthHttpController } from './loop-health/get-loop-health/get-loop-health.http.controller';
import { GetLoopHealthService } from './loop-health/get-loop-health/get-loop-health.service';
import { RedriveDeadLetterHttpController } from './loop-health/redrive-dead-letter/redrive-dead-letter.http.controller';
import { CONSOLE_MIGRATIONS } from './migrations';
import { ActOnTaskHttpController } from './queue/act-on-task/act-on-task.http.controller';
import { ListQueueHttpController } from './queue/list-queue/list-queue.http.controller';
import { ListRiskWarningsHttpController } from './queue/list-risk-warnings/list-risk-warnings.http.controller';
import { ListVacuumHttpController } from './queue/list-vacuum/list-vacuum.http.controller';
import { ProjectLoopEventMessageController } from './read-model/project-loop-event/project-loop-event.message.controller';
import { ServiceCalls } from './service-calls';
import { SessionHttpController } from './session/session.http.controller';
import { GetTrailHttpController } from './trail/get-trail/get-trail.http.controller';
import { ConsolePageHttpController } from './web/console-page.http.controller';

export const CONSOLE_SERVICE = {
  name: 'console',
  title: 'Operators console',
  description:
    'The operators console and the duty figures: a read model built from every topic (its own tables, exactly once through the inbox), ' +
    'figures per department and item for any period (working-day aware), the departments work queue, the supervision vacuum, ' +
    'enforcement and credit figures, random-inspection figures, loop health, an approval trail across the services, and the Chinese web console at /.',
};

@Module({})
export class ConsoleModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [
        PlatformModule.forRoot({
          service: CONSOLE_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES],
          migrations: CONSOLE_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [
        ProjectLoopEventMessageController,
        SessionHttpController,
        GetDutyFiguresHttpController,
        GetDutyOverviewHttpController,
        GetEnforcementFiguresHttpController,
        GetInspectionFiguresHttpController,
        ListQueueHttpController,
        ListRiskWarningsHttpController,
        ActOnTaskHttpController,
        ListVacuumHttpController,
        GetTrailHttpController,
        GetLoopHealthHttpController,
        RedriveDeadLetterHttpController,
        ConsolePageHttpController,
      ],
      providers: [
        domainMetrics(CONSOLE_METRICS),
        GetDutyFiguresService,
        GetEnforcementFiguresService,
        GetInspectionFiguresService,
        GetLoopHealthService,
        ServiceCalls,
      ],
    };
  }
}
