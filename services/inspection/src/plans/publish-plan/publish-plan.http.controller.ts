import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, NotFoundError, Public } from '@backbone/platform';
import { inspectionError } from '../../inspection.errors';
import { InspectionPlan, planView } from '../inspection-plan.entity';

@ApiTags('plans')
@Controller()
export class PublishPlanHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Post('plans/:id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publishes a plan (publishing it again changes nothing)' })
  async publish(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    const repository = this.dataSource.getRepository(InspectionPlan);
    const plan = await repository.findOneBy({ id });
    if (!plan) throw new NotFoundError('plan', id);
    if (plan.department !== caller.department) {
      throw inspectionError('NOT_OWNER_DEPARTMENT', `plan ${id} belongs to ${plan.department}, not to ${caller.department}`);
    }
    if (plan.status === 'draft') {
      await repository.update({ id, status: 'draft' }, { status: 'published', publishedAt: new Date() });
    }
    return planView(await repository.findOneByOrFail({ id }));
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
