import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, ParseUsccPipe, Roles } from '@backbone/platform';
import { RecordResultRequest } from './record-result.request.dto';
import { RecordResultService } from './record-result.service';

@ApiTags('results')
@Controller('tasks')
export class RecordResultHttpController {
  constructor(private readonly service: RecordResultService) {}

  @Roles('inspecting-department')
  @Post(':id/checks/:uscc/results')
  @ApiOperation({
    summary: "Records the caller department's result for a drawn entity (each department of a joint task its own items)",
    description:
      'Categories: no_problem, ordered_to_correct, further_handling (→ an enforcement case), not_operating, cannot_be_contacted ' +
      '(→ the abnormal-operation list at credit), refused_inspection, not_published_information. Every result becomes a credit fact ' +
      'and goes back to the approver of the entity’s licence.',
  })
  @ApiCreatedResponse({ description: 'The result; published (redacted) by the publication sweep within PUBLICATION_WORKING_DAYS' })
  async record(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('uscc', ParseUsccPipe) uscc: string,
    @Body() request: RecordResultRequest,
  ) {
    const result = await this.service.record(caller.department, id, uscc, request);
    return {
      id: result.id,
      taskId: result.taskId,
      uscc: result.uscc,
      department: result.department,
      category: result.category,
      itemCodes: result.itemCodes,
      inspectorIds: result.inspectorIds,
      violations: result.violations,
      evidenceRefs: result.evidenceRefs,
      inspectedAt: result.inspectedAt.toISOString(),
      recordedAt: result.recordedAt.toISOString(),
      publishBy: result.publishBy.toISOString(),
    };
  }
}
