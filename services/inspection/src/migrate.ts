import { runMigrationsOnly } from '@backbone/platform';
import { loadInspectionConfig } from './inspection.config';
import { INSPECTION_SERVICE } from './inspection.module';
import { INSPECTION_MIGRATIONS } from './migrations';

void runMigrationsOnly(INSPECTION_SERVICE, loadInspectionConfig, INSPECTION_MIGRATIONS);
