import { HeapSnapshotFile, summariseHeapSnapshot } from './heap-snapshot';

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

interface Node {
  type: string;
  name: string;
  size: number;
  edges?: Array<{ type: string; name: string | number; to: number }>;
}

/** A snapshot file in V8's format (flat arrays of node and edge fields, strings by index) from a list of nodes. */
function snapshotOf(nodes: Node[]): HeapSnapshotFile {
  const strings: string[] = [];
  const string = (text: string) => (strings.includes(text) ? strings.indexOf(text) : strings.push(text) - 1);
  const flatNodes: number[] = [];
  const flatEdges: number[] = [];
  nodes.forEach((node, id) => {
    const edges = node.edges ?? [];
    flatNodes.push(NODE_TYPES.indexOf(node.type), string(node.name), id, node.size, edges.length, 0, 0);
    for (const edge of edges)
      flatEdges.push(EDGE_TYPES.indexOf(edge.type), typeof edge.name === 'number' ? edge.name : string(edge.name), edge.to * 7);
  });
  return {
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
        node_types: [NODE_TYPES],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [EDGE_TYPES],
      },
    },
    nodes: flatNodes,
    edges: flatEdges,
    strings,
  };
}

describe('summariseHeapSnapshot', () => {
  // root → InboxTransport → (pending promise) → two Batch objects → Buffers → their 64 KiB data; and a weak
  // reference to a third Batch, which keeps nothing.
  const snapshot = snapshotOf([
    /* 0 */ { type: 'synthetic', name: '(GC roots)', size: 0, edges: [{ type: 'element', name: 1, to: 1 }] },
    /* 1 */ { type: 'object', name: 'InboxTransport', size: 100, edges: [{ type: 'property', name: 'whenClosed', to: 2 }] },
    /* 2 */ {
      type: 'object',
      name: 'Promise',
      size: 40,
      edges: [
        { type: 'internal', name: 'reactions', to: 3 },
        { type: 'internal', name: 'reactions', to: 4 },
        { type: 'weak', name: 'stale', to: 9 },
      ],
    },
    /* 3 */ { type: 'object', name: 'Batch', size: 60, edges: [{ type: 'property', name: 'rawMessages', to: 5 }] },
    /* 4 */ { type: 'object', name: 'Batch', size: 60, edges: [{ type: 'property', name: 'rawMessages', to: 6 }] },
    /* 5 */ { type: 'object', name: 'Buffer', size: 80, edges: [{ type: 'internal', name: 'backing_store', to: 7 }] },
    /* 6 */ { type: 'object', name: 'Buffer', size: 80, edges: [{ type: 'internal', name: 'backing_store', to: 8 }] },
    /* 7 */ { type: 'native', name: 'system / JSArrayBufferData', size: 65536 },
    /* 8 */ { type: 'native', name: 'system / JSArrayBufferData', size: 65536 },
    /* 9 */ { type: 'object', name: 'Batch', size: 60 },
    /* 10 */ { type: 'string', name: 'a key', size: 24 },
  ]);

  it('counts objects by constructor and strings by kind, largest first', () => {
    const summary = summariseHeapSnapshot(snapshot);
    expect(summary.totalBytes).toBe(100 + 40 + 3 * 60 + 2 * 80 + 2 * 65536 + 24);
    expect(summary.byName[0]).toEqual(['system / JSArrayBufferData', 2 * 65536, 2]);
    expect(summary.byName).toContainEqual(['Batch', 180, 3]);
    expect(summary.byName).toContainEqual(['(string)', 24, 1]);
  });

  it('says what retains the ArrayBuffer data, and follows one constructor to what holds it (weak references keep nothing)', () => {
    const summary = summariseHeapSnapshot(snapshot, 'Batch', 3);
    expect(summary.backingStoreBytes).toBe(2 * 65536);
    expect(summary.backingStores).toEqual([
      [expect.stringMatching(/^backing_store ← Buffer ← rawMessages ← Batch ← reactions ← Promise/), 2 * 65536, 2],
    ]);
    expect(summary.retainers).toEqual([
      ['reactions ← Promise ← whenClosed ← InboxTransport ← [] ← (synthetic) (GC roots)', 2],
      ['', 1],
    ]);
  });
});
