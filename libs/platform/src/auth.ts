import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { BaseServiceConfig } from './config';
import { ForbiddenError, PlatformError } from './errors';

export const API_KEY_HEADER = 'x-api-key';
export const API_CLIENTS = Symbol('API_CLIENTS');
const PUBLIC = 'backbone:public';

/** The calling agency's client, as the guard authenticated it. */
export interface Caller {
  department: string;
}

/** Marks a route that needs no API key (health, metrics, API documents, public queries). */
export const Public = () => SetMetadata(PUBLIC, true);

/**
 * Every REST call is made on behalf of a department: the client's API key names it. The guard hands
 * the department to handlers through `@CurrentCaller()`; ownership rules live in the domain.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_CLIENTS) private readonly clients: Map<string, string>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    const key = request.header(API_KEY_HEADER);
    if (!key) throw new UnauthorizedException(`missing ${API_KEY_HEADER} header: every call is made on behalf of a department`);
    const department = this.clients.get(key);
    if (!department) throw new UnauthorizedException(`the ${API_KEY_HEADER} given belongs to no registered client`);
    request.caller = { department };
    return true;
  }
}

export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<{ caller?: Caller }>().caller;
  if (!caller) throw new UnauthorizedException('no authenticated caller');
  return caller;
});

/**
 * Operator-only actions (re-driving dead letters, running sweeps, assigning by hand): the caller's
 * department must be one of the service's OPERATOR_DEPARTMENTS.
 */
export function assertOperator(config: BaseServiceConfig, department: string, action: string): void {
  if (!config.OPERATOR_DEPARTMENTS.split(',').includes(department)) {
    throw new ForbiddenError(
      PlatformError.OPERATOR_ONLY,
      `only operator departments (OPERATOR_DEPARTMENTS) may ${action}; ${department} is not one`,
    );
  }
}
