import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { STRATA, Stratum } from '../../draws/canonical-pool';
import { inspectionError } from '../../inspection.errors';
import { InspectionItem } from '../../items/inspection-item.entity';
import { InspectionPlan } from '../../plans/inspection-plan.entity';
import { InspectionTask, TaskFilters, TaskItem, TaskTeam } from '../inspection-task.entity';
import type { CreateTaskRequest } from './create-task.request.dto';

/** A dimension of the items' scopes: no restriction if any item has none, otherwise their union. */
function union(items: InspectionItem[], pick: (item: InspectionItem) => string[]): string[] {
  if (items.some((item) => pick(item).length === 0)) return [];
  return [...new Set(items.flatMap(pick))].sort();
}

@Injectable()
export class CreateTaskService {
  constructor(private readonly dataSource: DataSource) {}

  create(leadDepartment: string, request: CreateTaskRequest): Promise<InspectionTask> {
    const teams: TaskTeam[] = [
      { department: leadDepartment, itemCodes: [...new Set(request.itemCodes)], inspectorsPerEntity: request.inspectorsPerEntity ?? 2 },
      ...(request.participants ?? []).map((p) => ({
        department: p.department,
        itemCodes: [...new Set(p.itemCodes)],
        inspectorsPerEntity: p.inspectorsPerEntity ?? 1,
      })),
    ];
    const departments = teams.map((team) => team.department);
    const twice = departments.find((department, i) => departments.indexOf(department) !== i);
    if (twice) throw inspectionError('UNKNOWN_ITEM', `participants: ${twice} takes part twice (the lead is a participant already)`);
    if (teams.reduce((sum, team) => sum + team.inspectorsPerEntity, 0) < 2) {
      throw inspectionError('INVALID_ITEM', 'inspectorsPerEntity: at least two inspectors per entity');
    }
    const multipliers: Partial<Record<Stratum, number>> = {};
    for (const [stratum, value] of Object.entries(request.multipliers ?? {})) {
      if (!(STRATA as readonly string[]).includes(stratum) || !Number.isInteger(value) || value < 0 || value > 10_000) {
        throw inspectionError(
          'INVALID_ITEM',
          `multipliers.${stratum}: strata are ${STRATA.join(', ')}, each a whole percent within 0..10000`,
        );
      }
      multipliers[stratum as Stratum] = value;
    }
    return this.dataSource.transaction(async (manager) => {
      if (request.planId) await this.checkPlan(manager, leadDepartment, request.planId);
      const items = await this.currentItems(manager, teams);
      const explicit = request.filters ?? {};
      const filters: TaskFilters = {
        regionPrefixes: explicit.regionPrefixes ?? union(items, (item) => item.regionPrefixes),
        entityTypes: explicit.entityTypes ?? union(items, (item) => item.entityTypes),
        industries: explicit.industries ?? union(items, (item) => item.industries),
        licenceItemCodes: explicit.licenceItemCodes ?? union(items, (item) => item.licenceItemCodes),
      };
      const now = new Date();
      const task = manager.create(InspectionTask, {
        id: randomUUID(),
        reference: request.reference,
        planId: request.planId ?? null,
        title: request.title,
        leadDepartment,
        status: 'created',
        teams,
        items: items.map((item): TaskItem => ({
          department: item.department,
          code: item.code,
          version: item.version,
          name: item.name,
          kind: item.kind,
          minRatioBp: item.minRatioBp,
          maxRatioBp: item.maxRatioBp,
        })),
        filters,
        multipliers,
        excludeInspectedWithinDays: request.excludeInspectedWithinDays ?? null,
        publishDrawnList: request.publishDrawnList ?? true,
        ratios: null,
        createdAt: now,
        updatedAt: now,
      });
      const inserted = await manager.query(
        `INSERT INTO inspection_task (id, reference, plan_id, title, lead_department, status, teams, items, filters, multipliers,
           exclude_inspected_within_days, publish_drawn_list, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'created', $6, $7, $8, $9, $10, $11, $12, $12) ON CONFLICT (reference) DO NOTHING RETURNING id`,
        [
          task.id,
          task.reference,
          task.planId,
          task.title,
          task.leadDepartment,
          JSON.stringify(task.teams),
          JSON.stringify(task.items),
          JSON.stringify(task.filters),
          JSON.stringify(task.multipliers),
          task.excludeInspectedWithinDays,
          task.publishDrawnList,
          now,
        ],
      );
      if (inserted.length === 0) throw inspectionError('DUPLICATE_TASK', `reference: a task ${request.reference} exists already`);
      return task;
    });
  }

  private async checkPlan(manager: EntityManager, department: string, planId: string) {
    const plan = await manager.findOneBy(InspectionPlan, { id: planId });
    if (!plan) throw new NotFoundError('plan', planId);
    if (plan.department !== department) {
      throw inspectionError('NOT_OWNER_DEPARTMENT', `planId: plan ${planId} belongs to ${plan.department}, not to ${department}`);
    }
    if (plan.status !== 'published') throw inspectionError('PLAN_NOT_PUBLISHED', `planId: plan ${planId} is not published`);
  }

  /** Every team's items, each the current, not withdrawn version on its department's list. */
  private async currentItems(manager: EntityManager, teams: TaskTeam[]): Promise<InspectionItem[]> {
    const items: InspectionItem[] = [];
    for (const team of teams) {
      const found = await manager.findBy(InspectionItem, {
        department: team.department,
        code: In(team.itemCodes),
        supersededAt: IsNull(),
        withdrawn: false,
      });
      const missing = team.itemCodes.filter((code) => !found.some((item) => item.code === code));
      if (missing.length > 0) {
        throw inspectionError('UNKNOWN_ITEM', `itemCodes: ${missing.join(', ')} is not on the current list of ${team.department}`, {
          department: team.department,
          missing,
        });
      }
      items.push(...found.sort((a, b) => a.code.localeCompare(b.code)));
    }
    return items;
  }
}
