import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import { CatalogEntry } from './catalog/catalog-entry.entity';
import { Inspection } from './inspections/inspection.entity';
import { RecordInspectionHttpController } from './inspections/record-inspection/record-inspection.http.controller';
import { RecordInspectionService } from './inspections/record-inspection/record-inspection.service';
import { SUPERVISION_MIGRATIONS } from './migrations';
import type { SupervisionConfig } from './supervision.config';
import { AssignTaskMessageController } from './tasks/assign-task/assign-task.message.controller';
import { ClaimTaskHttpController } from './tasks/claim-task/claim-task.http.controller';
import { ClaimTaskService } from './tasks/claim-task/claim-task.service';
import { GetTaskHttpController } from './tasks/get-task/get-task.http.controller';
import { SupervisionTask, UnroutedApproval } from './tasks/supervision-task.entity';

export const SUPERVISION_SERVICE = {
  name: 'supervision',
  title: 'Supervision service',
  description:
    'Supervision item catalog and routing; supervision tasks (assign, claim, feedback); inspections and violation clues.',
};

@Module({})
export class SupervisionModule {
  static forRoot(config: SupervisionConfig): DynamicModule {
    return {
      module: SupervisionModule,
      imports: [
        PlatformModule.forRoot({
          service: SUPERVISION_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES, CatalogEntry, SupervisionTask, UnroutedApproval, Inspection],
          migrations: SUPERVISION_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [AssignTaskMessageController, ClaimTaskHttpController, GetTaskHttpController, RecordInspectionHttpController],
      providers: [ClaimTaskService, RecordInspectionService],
    };
  }
}
