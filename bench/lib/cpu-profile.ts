/**
 * Summarises V8 .cpuprofile files (from `--cpu-prof`, e.g. the bench's BENCH_CPU_PROF): the functions
 * and the packages with the most self time, and the functions with the most inclusive time (a sample
 * counts once for every distinct function on its stack).
 *
 *   node dist/bench/lib/cpu-profile.js <file.cpuprofile>… [--top 30] [--match approval] [--layer name=text]…
 *
 * --match keeps only the inclusive entries whose location contains the text (e.g. a service's folder).
 * --layer (repeatable) adds busy time by layer: each sample goes to the frame nearest its leaf that belongs
 * to a layer (its function name and location contain the layer's text; the first layer given wins for a
 * frame), else to "other". E.g. what a POST costs by layer of the HTTP stack (ADR 0122):
 * --layer http-node=node:_http_ --layer nest=@nestjs/core/router --layer express-router=/router/
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  self: [string, number][];
  packages: [string, number][];
  inclusive: [string, number][];
  /** Busy time by layer (with `layers`), largest first. */
  layers: [string, number][];
}

/** A layer of --layer: the frames whose `functionName url` contains `text`. */
export interface Layer {
  name: string;
  text: string;
}

/** `name=text` as --layer takes it. */
export function parseLayer(option: string): Layer {
  const at = option.indexOf('=');
  if (at <= 0 || at === option.length - 1) throw new Error(`--layer ${option}: expected name=text`);
  return { name: option.slice(0, at), text: option.slice(at + 1) };
}

/** Where a frame's code lives: a package in node_modules, node's own code, or this repository's. */
export function packageOf(url: string): string {
  if (!url) return '(native/vm)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = /\/dist\/((?:libs|services)\/[^/]+)/.exec(url);
  return dist ? dist[1] : url;
}

function frameName(node: ProfileNode): string {
  return frameLabel(node.callFrame);
}

/** A frame as the summaries print it: its function, and where it is (package or repository path, line). */
export function frameLabel({ functionName, url, lineNumber }: { functionName: string; url: string; lineNumber: number }): string {
  // From the last node_modules/ (a package's own dist/ stays behind its name), else from this repository's dist/.
  const short = url.includes('/node_modules/') ? url.replace(/^.*\/node_modules\//, 'node_modules/') : url.replace(/^.*\/dist\//, 'dist/');
  const where = url ? `${short}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

export function summariseProfile(profile: Profile, match?: string, layers: readonly Layer[] = []): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const packages = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byLayer = new Map<string, number>();
  /** Per node: the layer of the frame nearest it, itself included ('other' when none). */
  const layerOf = new Map<number, string>();
  const nodeLayer = (id: number): string => {
    let layer = layerOf.get(id);
    if (layer !== undefined) return layer;
    const node = byId.get(id);
    const text = node ? `${node.callFrame.functionName} ${node.callFrame.url}` : '';
    const parentId = parent.get(id);
    layer = layers.find((candidate) => text.includes(candidate.text))?.name ?? (parentId === undefined ? 'other' : nodeLayer(parentId));
    layerOf.set(id, layer);
    return layer;
  };
  let totalMs = 0;
  let idleMs = 0;
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    totalMs += ms;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') {
      if (name === '(idle)') idleMs += ms;
      add(self, `${name}`, ms);
      continue;
    }
    add(self, frameName(node), ms);
    if (layers.length > 0) add(byLayer, nodeLayer(node.id), ms);
    add(packages, name === '(garbage collector)' ? '(garbage collector)' : packageOf(node.callFrame.url), ms);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id);
      if (!frame || frame.callFrame.functionName === '(root)') continue;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!match || key.includes(match)) add(inclusive, key, ms);
    }
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { totalMs, idleMs, self: sorted(self), packages: sorted(packages), inclusive: sorted(inclusive), layers: sorted(byLayer) };
}

export function describeProfile(file: string, summary: ProfileSummary, top = 25): string {
  const busy = summary.totalMs - summary.idleMs;
  const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
  const lines = (entries: [string, number][]) =>
    entries.slice(0, top).map(([name, ms]) => `  ${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${name}`);
  return [
    `${basename(file)}: ${(summary.totalMs / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy (percentages of busy time)`,
    'self time by package:',
    ...lines(summary.packages),
    'self time by function:',
    ...lines(summary.self.filter(([name]) => name !== '(idle)')),
    'inclusive time by function:',
    ...lines(summary.inclusive),
    ...(summary.layers.length > 0
      ? [
          'busy time by layer (each sample under the frame nearest its leaf that is in a layer):',
          ...summary.layers.map(([name, ms]) => `  ${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${name}`),
        ]
      : []),
  ].join('\n');
}

if (require.main === module) {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string' }, match: { type: 'string' }, layer: { type: 'string', multiple: true } },
    allowPositionals: true,
  });
  const top = Number(values.top ?? 25);
  const match = values.match;
  const layers = (values.layer ?? []).map(parseLayer);
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    process.stdout.write(`${describeProfile(file, summariseProfile(profile, match, layers), top)}\n\n`);
  }
}
