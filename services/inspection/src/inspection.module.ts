import { domainMetrics } from '@backbone/platform';
import { INSPECTION_METRICS } from './inspection.metrics';
import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import type { InspectionConfig } from './inspection.config';
import { ChangeInspectorHttpController } from './inspectors/change-inspector/change-inspector.http.controller';
import { DeclareConflictHttpController } from './inspectors/declare-conflict/declare-conflict.http.controller';
import { Inspector, InspectorConflict } from './inspectors/inspector.entity';
import { ListInspectorsHttpController } from './inspectors/list-inspectors/list-inspectors.http.controller';
import { RegisterInspectorHttpController } from './inspectors/register-inspector/register-inspector.http.controller';
import { DefineItemHttpController } from './items/define-item/define-item.http.controller';
import { DefineItemService } from './items/define-item/define-item.service';
import { InspectionItem } from './items/inspection-item.entity';
import { ListItemsHttpController } from './items/list-items/list-items.http.controller';
import { INSPECTION_MIGRATIONS } from './migrations';
import { DrawTaskHttpController } from './draws/draw-task/draw-task.http.controller';
import { DrawTaskService } from './draws/draw-task/draw-task.service';
import { RedrawTaskHttpController } from './draws/redraw-task/redraw-task.http.controller';
import { CreatePlanHttpController } from './plans/create-plan/create-plan.http.controller';
import { InspectionPlan } from './plans/inspection-plan.entity';
import { PublishPlanHttpController } from './plans/publish-plan/publish-plan.http.controller';
import { TaskAnnouncementHttpController } from './publication/publish-task/task-announcement.http.controller';
import { CancelTaskHttpController } from './tasks/cancel-task/cancel-task.http.controller';
import { CreateTaskHttpController } from './tasks/create-task/create-task.http.controller';
import { CreateTaskService } from './tasks/create-task/create-task.service';
import { FreezePoolHttpController } from './tasks/freeze-pool/freeze-pool.http.controller';
import { FreezePoolService } from './tasks/freeze-pool/freeze-pool.service';
import { GetTaskHttpController } from './tasks/get-task/get-task.http.controller';
import { InspectionCheck, InspectionTask, TaskDraw, TaskPool } from './tasks/inspection-task.entity';
import { FiguresHttpController } from './publication/figures/figures.http.controller';
import { ListResultsHttpController } from './publication/list-results/list-results.http.controller';
import { InspectionResultRow } from './results/inspection-result.entity';
import { InspectionSweep } from './results/inspection-sweep/inspection-sweep.service';
import { RunInspectionSweepHttpController } from './results/inspection-sweep/run-inspection-sweep.http.controller';
import { RecordResultHttpController } from './results/record-result/record-result.http.controller';
import { RecordResultService } from './results/record-result/record-result.service';
import { GetTargetHttpController } from './targets/get-target/get-target.http.controller';
import { ImportTargetsHttpController } from './targets/import-targets/import-targets.http.controller';
import { ImportTargetsService } from './targets/import-targets/import-targets.service';
import { PoolImport } from './targets/import-targets/pool-import.entity';
import { KeepTargetPoolMessageController } from './targets/keep-target-pool/keep-target-pool.message.controller';
import { KeepRiskWarningsMessageController } from './risk-warnings/keep-risk-warnings/keep-risk-warnings.message.controller';
import { TargetEntity, TargetLicence } from './targets/target-entity.entity';

export const INSPECTION_SERVICE = {
  name: 'inspection',
  title: 'Random inspection service (双随机、一公开)',
  description:
    'One list, two pools (一单两库): the spot-check item list, the target pool kept from events and bulk imports, the inspector ' +
    'pool with conflicts of interest; annual plans and (joint) tasks; a draw anyone can re-run from the published pool hash, ' +
    'seed commitment and seed; results fed into the loop as the shared inspection-result contract; publication.',
};

@Module({})
export class InspectionModule {
  static forRoot(config: InspectionConfig): DynamicModule {
    return {
      module: InspectionModule,
      imports: [
        PlatformModule.forRoot({
          service: INSPECTION_SERVICE.name,
          config,
          entities: [
            ...MESSAGING_ENTITIES,
            InspectionItem,
            TargetEntity,
            TargetLicence,
            PoolImport,
            Inspector,
            InspectorConflict,
            InspectionPlan,
            InspectionTask,
            TaskPool,
            TaskDraw,
            InspectionCheck,
            InspectionResultRow,
          ],
          migrations: INSPECTION_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [
        ListItemsHttpController,
        DefineItemHttpController,
        KeepTargetPoolMessageController,
        KeepRiskWarningsMessageController,
        ImportTargetsHttpController,
        GetTargetHttpController,
        RegisterInspectorHttpController,
        ChangeInspectorHttpController,
        DeclareConflictHttpController,
        ListInspectorsHttpController,
        CreatePlanHttpController,
        PublishPlanHttpController,
        CreateTaskHttpController,
        GetTaskHttpController,
        FreezePoolHttpController,
        DrawTaskHttpController,
        RedrawTaskHttpController,
        CancelTaskHttpController,
        TaskAnnouncementHttpController,
        RecordResultHttpController,
        ListResultsHttpController,
        FiguresHttpController,
        RunInspectionSweepHttpController,
      ],
      providers: [
        domainMetrics(INSPECTION_METRICS),
        DefineItemService,
        ImportTargetsService,
        CreateTaskService,
        FreezePoolService,
        DrawTaskService,
        RecordResultService,
        InspectionSweep,
      ],
    };
  }
}
