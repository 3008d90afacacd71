import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { BaseServiceConfig } from './config';

/** An agency's API client: the department it acts for, and until when its key is valid. */
export interface ApiClient {
  department: string;
  expiresAt?: Date;
}

export type KeyLookup = { client: ApiClient } | { expired: ApiClient } | undefined;

/** sha256 of a key, hex: the only form in which a key is kept. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * One entry: `key=DEPARTMENT` (a plain key, for development; hashed at once and never kept) or
 * `sha256:<64 hex>=DEPARTMENT`, each optionally followed by `@<RFC 3339 expiry>`.
 */
export const API_KEY_ENTRY =
  '(?:sha256:[0-9a-f]{64}|[A-Za-z0-9_-]{16,})=[A-Za-z0-9_-]{1,64}(?:@[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9:.]+(?:Z|[+-][0-9]{2}:[0-9]{2}))?)?';

export function parseKeyEntry(entry: string): [hash: string, client: ApiClient] {
  const [credential, rest] = entry.split(/=(.*)/s, 2);
  const [department, expiry] = rest.split('@');
  const hash = credential.startsWith('sha256:') ? credential.slice('sha256:'.length) : hashApiKey(credential);
  const expiresAt = expiry ? new Date(expiry) : undefined;
  if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new Error(`API key entry for ${department}: expiry is not a date`);
  return [hash, { department, ...(expiresAt ? { expiresAt } : {}) }];
}

/**
 * The API clients of a service, by key hash. Keys come from API_KEYS and from API_KEYS_FILE (one entry
 * a line, `#` comments); the file is read again when it changes, so keys are added, rotated and
 * revoked without a restart. A key past its expiry authenticates nobody.
 */
export class ApiKeyStore {
  private fileClients = new Map<string, ApiClient>();
  private fileStamp = '';
  private checkedAt = 0;
  /** Key → its hash, for the keys seen lately: a SHA-256 per request was a visible share of a POST's CPU. Bounded. */
  private readonly hashes = new Map<string, string>();

  private constructor(
    private readonly envClients: Map<string, ApiClient>,
    private readonly file: string | undefined,
    private readonly recheckMs: number,
  ) {
    this.reload();
  }

  static fromConfig(config: Pick<BaseServiceConfig, 'API_KEYS' | 'API_KEYS_FILE'>, recheckMs = 1000): ApiKeyStore {
    const entries = (config.API_KEYS ?? '').split(',').filter(Boolean);
    return new ApiKeyStore(new Map(entries.map(parseKeyEntry)), config.API_KEYS_FILE || undefined, recheckMs);
  }

  lookup(key: string, now?: Date): KeyLookup {
    this.reloadIfDue();
    let hash = this.hashes.get(key);
    if (hash === undefined) {
      if (this.hashes.size >= 10_000) this.hashes.clear(); // a spray of wrong keys only costs hashing again
      hash = hashApiKey(key);
      this.hashes.set(key, hash);
    }
    const client = this.fileClients.get(hash) ?? this.envClients.get(hash);
    if (!client) return undefined;
    return client.expiresAt && client.expiresAt <= (now ?? new Date()) ? { expired: client } : { client };
  }

  departments(): string[] {
    this.reloadIfDue();
    return [...new Set([...this.envClients.values(), ...this.fileClients.values()].map((client) => client.department))];
  }

  private reloadIfDue(): void {
    if (!this.file || Date.now() - this.checkedAt < this.recheckMs) return;
    this.reload();
  }

  private reload(): void {
    if (!this.file) return;
    this.checkedAt = Date.now();
    let stamp: string;
    try {
      const stat = statSync(this.file);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp === this.fileStamp) return;
    const clients = new Map<string, ApiClient>();
    if (stamp !== 'missing') {
      const entry = new RegExp(`^${API_KEY_ENTRY}$`);
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        const text = line.trim();
        if (!text || text.startsWith('#')) continue;
        if (!entry.test(text)) continue; // a malformed line authenticates nobody
        const [hash, client] = parseKeyEntry(text);
        clients.set(hash, client);
      }
    }
    this.fileClients = clients;
    this.fileStamp = stamp;
  }
}
