import { startService } from '@backbone/messaging';
import { loadInspectionConfig } from './inspection.config';
import { INSPECTION_SERVICE, InspectionModule } from './inspection.module';

void startService(INSPECTION_SERVICE, loadInspectionConfig, (config) => InspectionModule.forRoot(config));
