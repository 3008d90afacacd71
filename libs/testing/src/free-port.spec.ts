import { freePort } from './free-port';

describe('freePort', () => {
  it('never hands out a port it handed out before, whatever the OS picks', async () => {
    const picks = [61001, 61001, 61001, 61002];
    const pick = () => Promise.resolve(picks.shift() as number);
    expect(await freePort(pick)).toBe(61001);
    expect(await freePort(pick)).toBe(61002);
    expect(picks).toEqual([]);
  });

  it('gives up, naming why, when the OS keeps picking ports it handed out', async () => {
    expect(await freePort(() => Promise.resolve(61003))).toBe(61003);
    await expect(freePort(() => Promise.resolve(61003))).rejects.toThrow(/handed out already, 100 times/);
  });

  it('hands out ports the OS picks, each once', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    expect(new Set(ports).size).toBe(40);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });
});
