import { Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  assertOperator,
  BaseServiceConfig,
  Caller,
  CurrentCaller,
  DomainError,
  ParseBigintIdPipe,
  publicErrorMessage,
  redactSql,
  SERVICE_CONFIG,
  Roles,
} from '@backbone/platform';
import { DeadLetters } from './dead-letters.service';
import { InboxTransport, PermanentFailure } from './inbox.transport';
import type { DeadLetter } from './messaging.entities';
import { MessagingError } from './messaging.errors';

class ListDeadLettersQuery {
  @IsOptional() @IsIn(['open', 'redriven']) status?: DeadLetter['status'];
}

function view(letter: DeadLetter) {
  return {
    id: letter.id,
    source: { topic: letter.topic, partition: letter.partition, offset: letter.offset, key: letter.messageKey },
    eventId: letter.eventId,
    eventType: letter.eventType,
    kind: letter.kind,
    reason: redactSql(letter.reason),
    attempts: letter.attempts,
    status: letter.status,
    createdAt: letter.createdAt,
    redrivenAt: letter.redrivenAt,
    value: letter.value?.toString('utf8') ?? null,
    /** The value's bytes exactly as they came (the text above replaces what is not UTF-8). */
    valueBase64: letter.value?.toString('base64') ?? null,
  };
}

/** Operators inspect what this service could not apply, and re-drive it once the cause is fixed. */
@ApiTags('operations')
@Controller('admin/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly transport: InboxTransport,
    @Inject(SERVICE_CONFIG) private readonly config: BaseServiceConfig,
  ) {}

  @Roles('operator')
  @Get()
  @ApiOperation({ summary: 'List dead letters, newest first' })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'redriven'] })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListDeadLettersQuery) {
    assertOperator(this.config, caller.department, 'handle dead letters');
    return (await this.deadLetters.list(query.status)).map(view);
  }

  @Roles('operator')
  @Get(':id')
  async get(@CurrentCaller() caller: Caller, @Param('id', ParseBigintIdPipe) id: string) {
    assertOperator(this.config, caller.department, 'handle dead letters');
    return view(await this.deadLetters.get(id));
  }

  @Roles('operator')
  @Post(':id/redrive')
  @ApiOperation({ summary: 'Apply a dead letter again, through the same validation and inbox' })
  @ApiOkResponse({ description: 'The outcome: applied, duplicate (already applied) or ignored' })
  async redrive(@CurrentCaller() caller: Caller, @Param('id', ParseBigintIdPipe) id: string) {
    assertOperator(this.config, caller.department, 'handle dead letters');
    const letter = await this.deadLetters.get(id);
    if (letter.status !== 'open')
      throw new DomainError(
        MessagingError.DEAD_LETTER_ALREADY_REDRIVEN,
        `dead letter ${id} was re-driven at ${letter.redrivenAt?.toISOString()}`,
        409,
      );
    try {
      const outcome = await this.transport.apply({
        topic: letter.topic,
        partition: letter.partition,
        offset: letter.offset,
        key: letter.messageKeyBytes?.toString() ?? letter.messageKey,
        keyBytes: letter.messageKeyBytes,
        value: letter.value,
      });
      await this.deadLetters.markRedriven(letter.id);
      return { id: letter.id, outcome };
    } catch (error) {
      const message = error instanceof PermanentFailure ? redactSql(error.message) : publicErrorMessage(error);
      throw new DomainError(MessagingError.REDRIVE_FAILED, `dead letter ${id} still cannot be applied: ${message}`, 422);
    }
  }
}
