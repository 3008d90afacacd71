import { Controller, Get, Header, Param, ParseIntPipe, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { NotFoundError, Public } from '@backbone/platform';
import { InspectionTask, TaskDraw, TaskPool } from '../../tasks/inspection-task.entity';
import { TargetEntity } from '../../targets/target-entity.entity';
import { maskedName } from '../redaction';

/**
 * The public side of a task (一公开), no key: the announcement (pool hash and seed commitment before
 * the draw; the seed, digest and — where the task publishes it — the drawn list after), the frozen pool
 * in canonical form, the draw input and each round's canonical result. Everything a verifier needs.
 */
@ApiTags('public')
@Public()
@Controller('public/tasks')
export class TaskAnnouncementHttpController {
  constructor(private readonly dataSource: DataSource) {}

  private async task(id: string): Promise<InspectionTask> {
    const task = await this.dataSource.getRepository(InspectionTask).findOneBy({ id });
    if (!task || task.status === 'created') throw new NotFoundError('published task', id);
    return task;
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'The task announcement: departments, items, ratios, pool hash, seed commitment; after the draw the seed, digest and drawn list',
  })
  async announcement(@Param('id', ParseUUIDPipe) id: string) {
    const task = await this.task(id);
    const pool = await this.dataSource
      .getRepository(TaskPool)
      .findOneOrFail({ where: { taskId: id }, select: ['poolHash', 'size', 'frozenAt'] });
    const draws = await this.dataSource.getRepository(TaskDraw).find({ where: { taskId: id }, order: { round: 'ASC' } });
    const current = [...draws].reverse().find((draw) => draw.drawnAt);
    let drawnList: unknown = null;
    if (current && task.publishDrawnList && task.status !== 'pool_frozen') {
      const lines = (current.result ?? '').split('\n').filter(Boolean);
      const usccs = lines.map((line) => line.split('\t')[0]);
      const entities = await this.dataSource
        .getRepository(TargetEntity)
        .find({ where: usccs.map((uscc) => ({ uscc })), select: ['uscc', 'name', 'entityType'] });
      const byUscc = new Map(entities.map((entity) => [entity.uscc, entity]));
      drawnList = lines.map((line) => {
        const [uscc, stratum] = line.split('\t');
        const entity = byUscc.get(uscc);
        return { uscc, name: entity ? maskedName(entity.name, entity.entityType) : null, stratum };
      });
    }
    return {
      id: task.id,
      reference: task.reference,
      title: task.title,
      planId: task.planId,
      kind: task.planId ? 'planned' : 'ad_hoc',
      status: task.status,
      leadDepartment: task.leadDepartment,
      teams: task.teams,
      items: task.items.map(({ department, code, version, name, kind }) => ({ department, code, version, name, kind })),
      filters: task.filters,
      excludeInspectedWithinDays: task.excludeInspectedWithinDays,
      ratiosBp: task.ratios,
      poolHash: pool.poolHash,
      poolSize: pool.size,
      frozenAt: pool.frozenAt.toISOString(),
      draws: draws.map((draw) => ({
        round: draw.round,
        seedCommitment: draw.seedCommitment,
        seed: draw.seed,
        reason: draw.reason,
        committedAt: draw.committedAt.toISOString(),
        drawnAt: draw.drawnAt?.toISOString() ?? null,
        digest: draw.digest,
        strata: draw.strata,
      })),
      drawnList,
    };
  }

  @Get(':id/pool')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'The frozen pool in canonical form (USCC<TAB>STRATUM<LF>, by USCC); its SHA-256 is poolHash' })
  async pool(@Param('id', ParseUUIDPipe) id: string) {
    await this.task(id);
    const pool = await this.dataSource.getRepository(TaskPool).findOneOrFail({ where: { taskId: id }, select: ['canonical'] });
    return new StreamableFile(Buffer.from(pool.canonical, 'utf8'), { type: 'text/plain; charset=utf-8' });
  }

  @Get(':id/draw-input')
  @ApiOperation({
    summary: 'What the draw takes besides pool and seed: ratios, teams, inspector ids, conflicts, last teams (frozen with the pool)',
  })
  async drawInput(@Param('id', ParseUUIDPipe) id: string) {
    await this.task(id);
    const pool = await this.dataSource.getRepository(TaskPool).findOneOrFail({ where: { taskId: id }, select: ['drawInput'] });
    return pool.drawInput;
  }

  @Get(':id/draws/:round/result')
  @ApiOperation({ summary: "A round's canonical result (USCC<TAB>STRATUM<TAB>DEPT:ID,ID;…<LF>); its SHA-256 is the round's digest" })
  async result(@Param('id', ParseUUIDPipe) id: string, @Param('round', ParseIntPipe) round: number) {
    const task = await this.task(id);
    const draw = await this.dataSource.getRepository(TaskDraw).findOneBy({ taskId: id, round });
    if (!draw?.drawnAt || !task.publishDrawnList) throw new NotFoundError('published draw', `${id}/${round}`);
    return new StreamableFile(Buffer.from(draw.result ?? '', 'utf8'), { type: 'text/plain; charset=utf-8' });
  }
}
