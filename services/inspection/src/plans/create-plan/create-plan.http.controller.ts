import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { inspectionError } from '../../inspection.errors';
import { InspectionPlan, planView } from '../inspection-plan.entity';

export class CreatePlanRequest {
  @ApiProperty({ example: 2026 }) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiProperty({ example: '2026年度市场监管领域双随机抽查计划' }) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ example: '覆盖食品经营、特种设备等重点领域' }) @IsString() @Length(1, 4000) description: string;
}

@ApiTags('plans')
@Controller('plans')
export class CreatePlanHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Post()
  @ApiOperation({ summary: "Drafts an annual plan (年度抽查计划) of the caller's department" })
  @ApiCreatedResponse({ description: 'The draft plan' })
  async create(@CurrentCaller() caller: Caller, @Body() request: CreatePlanRequest) {
    const plan: InspectionPlan = {
      id: randomUUID(),
      department: caller.department,
      year: request.year,
      title: request.title,
      description: request.description,
      status: 'draft',
      createdAt: new Date(),
      publishedAt: null,
    };
    const inserted = await this.dataSource.query(
      `INSERT INTO inspection_plan (id, department, year, title, description, status, created_at) VALUES ($1, $2, $3, $4, $5, 'draft', $6)
       ON CONFLICT (department, year, title) DO NOTHING RETURNING id`,
      [plan.id, plan.department, plan.year, plan.title, plan.description, plan.createdAt],
    );
    if (inserted.length === 0) {
      throw inspectionError('DUPLICATE_PLAN', `title: ${caller.department} has a ${request.year} plan titled "${request.title}" already`);
    }
    return planView(plan);
  }
}
