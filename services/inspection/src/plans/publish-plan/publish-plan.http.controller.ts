import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { inspectionPlanSubject, InspectionPlanPublishedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Caller, CurrentCaller, NotFoundError, Public, Roles } from '@backbone/platform';
import { inspectionError } from '../../inspection.errors';
import { InspectionPlan, planView } from '../inspection-plan.entity';

@ApiTags('plans')
@Controller()
export class PublishPlanHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  @Roles('inspecting-department')
  @Post('plans/:id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publishes a plan (publishing it again changes nothing)' })
  async publish(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.dataSource.transaction(async (manager) => {
      const plan = await manager.findOne(InspectionPlan, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw new NotFoundError('plan', id);
      if (plan.department !== caller.department) {
        throw inspectionError('NOT_OWNER_DEPARTMENT', `plan ${id} belongs to ${plan.department}, not to ${caller.department}`);
      }
      if (plan.status === 'draft') {
        plan.status = 'published';
        plan.publishedAt = new Date();
        await manager.update(InspectionPlan, { id }, { status: plan.status, publishedAt: plan.publishedAt });
        // For the duty figures (plans published per department and year), in the same transaction.
        await this.outbox.add(manager, InspectionPlanPublishedV1, {
          subject: inspectionPlanSubject(id),
          correlationId: id,
          data: {
            planId: id,
            department: plan.department,
            year: plan.year,
            title: plan.title,
            publishedAt: plan.publishedAt.toISOString(),
          },
        });
      }
      return planView(plan);
    });
  }

  @Public()
  @Get('public/plans')
  @ApiTags('public')
  @ApiOperation({ summary: 'Published plans (no key)' })
  @ApiQuery({ name: 'department', required: false })
  @ApiQuery({ name: 'year', required: false })
  async list(@Query('department') department?: string, @Query('year') year?: string) {
    const plans = await this.dataSource.getRepository(InspectionPlan).find({
      where: {
        status: 'published',
        ...(department ? { department: String(department) } : {}),
        ...(year && /^\d{4}$/.test(String(year)) ? { year: Number(year) } : {}),
      },
      order: { year: 'DESC', department: 'ASC', title: 'ASC' },
    });
    return { plans: plans.map(planView) };
  }
}
