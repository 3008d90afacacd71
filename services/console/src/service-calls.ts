import { HttpException, Inject, Injectable } from '@nestjs/common';
import { API_KEY_HEADER, DomainError, SERVICE_CONFIG, SERVICE_NAME } from '@backbone/platform';
import type { ConsoleConfig } from './console.config';
import { ConsoleError } from './console.errors';

export interface ServiceAnswer<T = any> {
  status: number;
  body: T;
}

/**
 * HTTP calls from the console to the other services, on behalf of the signed-in department: its own
 * API key goes with the call, so each service applies its own rules (who may claim, who is an operator).
 */
@Injectable()
export class ServiceCalls {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(SERVICE_NAME) private readonly ownName: string,
  ) {}

  /** The services the console watches: those configured, and itself. */
  services(): string[] {
    return [...this.urls().keys()];
  }

  url(service: string): string {
    const url = this.urls().get(service);
    if (!url) throw new DomainError(ConsoleError.UNKNOWN_SERVICE, `service: ${service} is not one of ${this.services().join(', ')}`, 404);
    return url;
  }

  private urls(): Map<string, string> {
    return new Map([...this.config.serviceUrls(), [this.ownName, `http://127.0.0.1:${this.config.PORT}`]]);
  }

  async call<T = any>(
    service: string,
    method: string,
    path: string,
    key?: string,
    body?: unknown,
    timeoutMs = 5000,
  ): Promise<ServiceAnswer<T>> {
    const response = await fetch(`${this.url(service)}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { [API_KEY_HEADER]: key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (e.g. /metrics): the text as is
    }
    return { status: response.status, body: parsed as T };
  }

  /** Passes the service's answer on: its body on success, its problem (status and detail) otherwise. */
  async forward<T = any>(service: string, method: string, path: string, key: string | undefined, body?: unknown): Promise<T> {
    const answer = await this.call<T>(service, method, path, key, body);
    if (answer.status >= 400) throw new HttpException(answer.body as object, answer.status);
    return answer.body;
  }
}
