import type { Response } from 'express';

export const REPLAYED_HEADER = 'idempotency-replayed';

/**
 * A replay: the response first given for this Idempotency-Key and request. Thrown by the guard so that
 * the handler does not run; the problem filter answers with it (`Idempotency-Replayed: true`).
 */
export class IdempotentReplay {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/** How the problem filter answers a replay: the stored status and body, marked as replayed. */
export function sendReplay(response: Response, replay: IdempotentReplay): void {
  response.status(replay.status).setHeader(REPLAYED_HEADER, 'true');
  if (replay.body === null || replay.body === undefined) response.send();
  else if (typeof replay.body === 'object') response.json(replay.body);
  else response.send(String(replay.body));
}
