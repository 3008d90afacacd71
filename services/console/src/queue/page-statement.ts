import { decodeCursor } from '@backbone/platform';

/**
 * The WHERE of one of the console's lists, built from the filters given: each condition with `?` for its
 * values, numbered `$1, $2…` in the order they are added. Shared by the work queue and the vacuum list,
 * which page the same way: by a key of (time, id) after a cursor, a page and one more row (to know
 * there is a next).
 */
export class PageConditions {
  readonly params: unknown[] = [];
  private readonly conditions: string[];

  constructor(...fixed: string[]) {
    this.conditions = fixed;
  }

  /** A condition; each `?` in it takes the next of `values`. */
  add(condition: string, ...values: unknown[]): void {
    let text = condition;
    for (const value of values) {
      this.params.push(value);
      text = text.replace('?', `$${this.params.length}`);
    }
    this.conditions.push(text);
  }

  /** After the cursor's (time, id) in the order of `key`'s two columns, when there is a cursor. */
  after(key: [time: string, id: string], cursor: string | undefined): void {
    if (!cursor) return;
    const [at, id] = decodeCursor(cursor, 2);
    this.add(`(${key[0]}, ${key[1]}) > (?::timestamptz, ?::uuid)`, at, id);
  }

  get where(): string {
    return this.conditions.join(' AND ');
  }

  /** The page's LIMIT parameter: one row more than the page. */
  limit(page: number): string {
    this.params.push(page + 1);
    return `$${this.params.length}`;
  }
}
