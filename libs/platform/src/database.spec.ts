import { ONE_CORE, onOneCore } from './database';

describe('onOneCore', () => {
  it('runs the work in a transaction whose first statement keeps it on one core, and returns what the work returns', async () => {
    const statements: string[] = [];
    const db = { query: async (text: string) => void statements.push(text) };
    const dataSource = { transaction: jest.fn(async (work: (manager: typeof db) => Promise<unknown>) => work(db)) };
    const result = await onOneCore(dataSource as never, async (manager) => {
      await manager.query('SELECT 1');
      return 42;
    });
    expect(result).toBe(42);
    expect(dataSource.transaction).toHaveBeenCalledTimes(1);
    expect(statements).toEqual([ONE_CORE, 'SELECT 1']);
    expect(ONE_CORE).toBe('SET LOCAL max_parallel_workers_per_gather = 0');
  });
});
