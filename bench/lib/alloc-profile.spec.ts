import { describeAllocations, summariseAllocations, type AllocationNode } from './alloc-profile';

const node = (functionName: string, url: string, selfSize: number, children: AllocationNode[] = []): AllocationNode => ({
  callFrame: { functionName, url, lineNumber: 9 },
  selfSize,
  children,
});

describe('summariseAllocations', () => {
  // (root) → consume (services/supervision) → parse (libs/contracts) → JSON.parse (native)
  //                                          → stringify (native), and consume again below parse (recursion)
  const profile = {
    head: node('(root)', '', 0, [
      node('consume', 'file:///repo/dist/services/supervision/src/main.js', 100, [
        node('parse', 'file:///repo/dist/libs/contracts/src/envelope.js', 0, [
          node('parse', '', 300),
          node('consume', 'file:///repo/dist/services/supervision/src/main.js', 50),
        ]),
        node('stringify', '', 200),
      ]),
      node('(garbage collector)', '', 0),
    ]),
  };

  it('counts bytes by the function that allocated them and by its package, inclusive bytes once per stack', () => {
    const summary = summariseAllocations(profile);
    expect(summary.totalBytes).toBe(650);
    expect(summary.self).toEqual([
      ['parse', 300],
      ['stringify', 200],
      ['consume dist/services/supervision/src/main.js:10', 150],
    ]);
    expect(summary.packages).toEqual([
      ['(native/vm)', 500],
      ['services/supervision', 150],
    ]);
    // consume is on every stack once, though twice on one of them.
    expect(summary.inclusive[0]).toEqual(['consume dist/services/supervision/src/main.js:10', 650]);
    expect(summary.inclusive).toContainEqual(['parse dist/libs/contracts/src/envelope.js:10', 350]);
  });

  it('keeps only the inclusive entries whose location matches, and prints bytes per unit when asked', () => {
    expect(summariseAllocations(profile, 'libs/contracts').inclusive).toEqual([['parse dist/libs/contracts/src/envelope.js:10', 350]]);
    const text = describeAllocations('/tmp/supervision-3002-1.heapprofile', summariseAllocations(profile), 2, 10);
    expect(text.split('\n')[0]).toBe('supervision-3002-1.heapprofile: 0 MiB allocated (sampled); 0.1 KiB per unit of 10');
    expect(text).toContain('self bytes by function:\n       0.0 MiB  46.2%  parse\n       0.0 MiB  30.8%  stringify\ninclusive');
  });
});
