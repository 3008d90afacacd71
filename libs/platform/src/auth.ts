import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  HttpException,
  HttpStatus,
  UnauthorizedException,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { BaseServiceConfig, knownDepartments } from './config';
import { DomainError, ForbiddenError, PlatformError } from './errors';
import { ApiKeyStore } from './api-keys';
import { AuthFailures } from './rate-limit';
import { RouteMemo } from './route-memo';
import { ApiExtension } from '@nestjs/swagger';

export const API_KEY_HEADER = 'x-api-key';
export const API_CLIENTS = Symbol('API_CLIENTS');
const PUBLIC = 'backbone:public';
const ROLES = 'backbone:roles';

/** Role → the departments in it (`*`: every authenticated department), from the service's configuration. */
export type RoleTable = Record<string, readonly string[]>;
export const ROLE_TABLE = Symbol('ROLE_TABLE');

/** The calling agency's client, as the guard authenticated it. */
export interface Caller {
  department: string;
  /** Set when the client is a market entity's own credential: its USCC (see `entityOfClient`). */
  entity?: string;
}

/**
 * A market entity's own credential is an API client whose department is `ENTITY-<its USCC>` (in API_KEYS
 * or API_KEYS_FILE, with the same hashing, expiry and rotation as agencies' keys). It acts only on the
 * routes marked `@EntityAccess()`, and there only for its own USCC (the handler checks the scope).
 */
export const ENTITY_CLIENT_PREFIX = 'ENTITY-';
const ENTITY_CLIENT = /^ENTITY-([0-9A-Z]{18})$/;

/** The USCC an entity credential acts for, or undefined for an agency's client. */
export function entityOfClient(department: string): string | undefined {
  if (!department.startsWith(ENTITY_CLIENT_PREFIX)) return undefined;
  return ENTITY_CLIENT.exec(department)?.[1];
}

const ENTITY_ACCESS = 'backbone:entity-access';

/**
 * Marks a route a market entity may call with its own credential (apply for credit repair, raise an
 * objection, add evidence): the role check is skipped for it, and the handler must limit it to the
 * entity's own USCC. Every other route refuses an entity credential (403 ENTITY_CREDENTIAL_NOT_ALLOWED).
 */
export const EntityAccess = () => applyDecorators(SetMetadata(ENTITY_ACCESS, true), ApiExtension('x-entity-access', true));

/** Marks a route that needs no API key (health, metrics, API documents, public queries). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC, true), ApiExtension('x-public', true));

/**
 * The roles that may call a route (any one of them). Every write route names its roles; which
 * departments hold a role is configuration (`<ROLE>_DEPARTMENTS`), so least privilege is set per
 * deployment. Ownership rules (a department changes only its own records) stay in the domain.
 */
export const Roles = (...roles: string[]) => applyDecorators(SetMetadata(ROLES, roles), ApiExtension('x-roles', roles));

/** The roles a route needs (undefined: any authenticated department; reads scope themselves). */
export function routeRoles(reflector: Reflector, handler: object, controller: object): string[] | undefined {
  return reflector.getAllAndOverride<string[] | undefined>(ROLES, [handler as never, controller as never]);
}

export function isPublicRoute(reflector: Reflector, handler: object, controller: object): boolean {
  return !!reflector.getAllAndOverride<boolean>(PUBLIC, [handler as never, controller as never]);
}

/** Whether a department holds a role in this table. */
export function holdsRole(table: RoleTable, role: string, department: string): boolean {
  const members = table[role] ?? [];
  return members.includes('*') || members.includes(department);
}

/**
 * Every REST call is made on behalf of a department: the client's API key names it. The guard hands
 * the department to handlers through `@CurrentCaller()`; ownership rules live in the domain.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly routes: RouteMemo<{ isPublic: boolean; entityAccess: boolean; roles: string[] | undefined }>;

  constructor(
    reflector: Reflector,
    @Inject(API_CLIENTS) private readonly clients: ApiKeyStore,
    @Inject(ROLE_TABLE) private readonly roles: RoleTable,
    private readonly failures: AuthFailures,
  ) {
    this.routes = new RouteMemo((handler, controller) => ({
      isPublic: isPublicRoute(reflector, handler, controller),
      entityAccess: !!reflector.getAllAndOverride<boolean>(ENTITY_ACCESS, [handler as never, controller as never]),
      roles: routeRoles(reflector, handler, controller),
    }));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = this.routes.of(context);
    if (route.isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    const key = request.header(API_KEY_HEADER);
    if (!key) throw new UnauthorizedException(`missing ${API_KEY_HEADER} header: every call is made on behalf of a department`);
    // The address is looked up only when some address has failed lately (Express derives it per call).
    const address = () => request.ip ?? 'unknown';
    const blocked = this.failures.blockedFor(address);
    if (blocked > 0) throw addressBlockedError(blocked);
    const found = this.clients.lookup(key);
    if (!found) {
      await sleep(this.failures.record(address()));
      throw new UnauthorizedException(`the ${API_KEY_HEADER} given belongs to no registered client`);
    }
    if ('expired' in found) {
      await sleep(this.failures.record(address()));
      throw new UnauthorizedException(`the ${API_KEY_HEADER} given has expired: ask for a new key`);
    }
    const department = found.client.department;
    const entity = entityOfClient(department);
    if (entity) {
      if (!route.entityAccess) {
        throw new ForbiddenError(
          PlatformError.ENTITY_CREDENTIAL_NOT_ALLOWED,
          "an entity's own credential acts only on its own requests (credit repair, objection, evidence); this route is for agencies",
        );
      }
      request.caller = { department, entity };
      return true;
    }
    request.caller = { department };
    const needed = route.roles;
    if (needed && !needed.some((role) => holdsRole(this.roles, role, department))) {
      throw new ForbiddenError('ROLE_REQUIRED', `this route needs the role ${needed.join(' or ')}; ${department} does not hold it`);
    }
    return true;
  }
}

/** The 429 of an address blocked after too many wrong keys (`AuthFailures`): the guard's and a direct route's. */
export function addressBlockedError(seconds: number): HttpException {
  return new HttpException(
    { ownMessage: 'too many wrong API keys from this address; retry after the number of seconds in Retry-After', retryAfter: seconds },
    HttpStatus.TOO_MANY_REQUESTS,
  );
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

/** A department named in a request (transfer, hand assignment) must be one the system knows: else 422. */
export function assertKnownDepartment(config: BaseServiceConfig, department: string, field: string): void {
  if (!knownDepartments(config).has(department)) {
    throw new DomainError('UNKNOWN_DEPARTMENT', `${field}: no such department is known to this system`, 422, { field });
  }
}

/** Whether the department is one of the service's operators (they read everything). */
export function isOperator(config: BaseServiceConfig, department: string): boolean {
  return config.OPERATOR_DEPARTMENTS.split(',').includes(department);
}
