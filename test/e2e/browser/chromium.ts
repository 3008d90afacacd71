import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { Browser, chromium, Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT } from '@backbone/testing';

/** Where the browser specs write their screenshots and exports (test artifacts). */
export const SCREENSHOTS = join(REPO_ROOT, '.stack', 'test-results', 'screenshots');
export const EXPORTS = join(REPO_ROOT, '.stack', 'test-results', 'exports');

/**
 * Debian's chromium, headless, driven by playwright-core (installed with promtool by the project's own
 * script when missing; no browser download).
 */
export async function launchChromium(): Promise<Browser> {
  const tools = spawnSync('bash', [join(REPO_ROOT, 'scripts/test-tools.sh')], { stdio: 'inherit' });
  if (tools.status !== 0) throw new Error('scripts/test-tools.sh failed: chromium is needed for the browser tests');
  mkdirSync(SCREENSHOTS, { recursive: true });
  mkdirSync(EXPORTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}

/** A page as the console's users see it: 1366×768, zh-CN, China time. */
export function consolePage(browser: Browser): Promise<Page> {
  return browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/** The text of every cell of the first sheet of an XLSX file (shared strings resolved), row by row. */
export function xlsxRows(file: string): string[][] {
  const zip = unzipSync(readFileSync(file));
  const shared = [...strFromU8(zip['xl/sharedStrings.xml'] ?? new Uint8Array()).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    [...m[1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => t[1]).join(''),
  );
  const sheet = strFromU8(zip['xl/worksheets/sheet1.xml']);
  return [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
    [...row[1].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map(([, attributes, body = '']) => {
      const value = /<v>([^<]*)<\/v>/.exec(body)?.[1] ?? /<t[^>]*>([^<]*)<\/t>/.exec(body)?.[1] ?? '';
      return / t="s"/.test(attributes) ? shared[Number(value)] : value;
    }),
  );
}
