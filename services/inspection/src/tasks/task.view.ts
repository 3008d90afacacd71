import type { InspectionTask } from './inspection-task.entity';

export function taskView(task: InspectionTask) {
  return {
    id: task.id,
    reference: task.reference,
    planId: task.planId,
    title: task.title,
    kind: task.planId ? 'planned' : 'ad_hoc',
    leadDepartment: task.leadDepartment,
    joint: task.teams.length > 1,
    status: task.status,
    teams: task.teams,
    items: task.items,
    filters: task.filters,
    multipliers: task.multipliers,
    excludeInspectedWithinDays: task.excludeInspectedWithinDays,
    publishDrawnList: task.publishDrawnList,
    ratiosBp: task.ratios,
    riskWarnings: task.riskWarnings ?? [],
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}
