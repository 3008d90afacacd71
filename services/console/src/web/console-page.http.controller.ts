import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError, Public } from '@backbone/platform';

/** The built page (npm run build puts it beside the compiled service): the HTML (its script and styles written in), ECharts, the XLSX writer. */
export const WEB_ROOT = join(__dirname, '..', '..', 'web');

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8' };

/** The encodings the build wrote a copy in, best first (RFC 9110 content codings). */
const ENCODINGS: Array<[coding: string, suffix: string]> = [
  ['br', '.br'],
  ['gzip', '.gz'],
];

/**
 * Serves the console itself: one page (the sign-in and every view, with its script and styles written
 * in), and its assets: the console's ECharts build and the XLSX writer, all built from pinned npm
 * packages (ADR 0045). Nothing is fetched from the network. The assets have content-hashed names
 * (assets.json, written by the build), so they are cached for a year and never revalidated; the page
 * itself is revalidated on every load (it names the current assets). Each is sent in the best encoding
 * the browser accepts from the copies the build compressed.
 */
@ApiExcludeController()
@Public()
@Controller()
export class ConsolePageHttpController {
  private served?: Set<string>;

  @Get()
  page(@Headers('accept-encoding') acceptEncoding: string | undefined, @Res() response: Response) {
    this.send(response, 'index.html', acceptEncoding, 'text/html; charset=utf-8', 'no-cache');
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Headers('accept-encoding') acceptEncoding: string | undefined, @Res() response: Response) {
    const type = TYPES[file.split('.').pop() ?? ''];
    if (!type || !this.assets(file).has(file)) throw new NotFoundError('asset', file);
    this.send(response, file, acceptEncoding, type, 'public, max-age=31536000, immutable');
  }

  /** The assets' served (hashed) names, from the build's manifest (read again when a name is not in it: a rebuild). */
  private assets(file: string): Set<string> {
    const manifest = join(WEB_ROOT, 'assets.json');
    if (!this.served?.has(file) && existsSync(manifest))
      this.served = new Set(Object.values(JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>));
    return this.served ?? new Set();
  }

  /** The file in the best encoding the browser accepts of the copies the build wrote (or as it is). */
  private send(response: Response, file: string, acceptEncoding: string | undefined, type: string, cache: string) {
    if (!existsSync(join(WEB_ROOT, file))) throw new NotFoundError('console file (run npm run build)', file);
    const accepted = new Set((acceptEncoding ?? '').split(',').map((coding) => coding.split(';')[0].trim().toLowerCase()));
    const [coding, suffix] = ENCODINGS.find(([name, ending]) => accepted.has(name) && existsSync(join(WEB_ROOT, file + ending))) ?? [];
    const path = join(WEB_ROOT, file + (suffix ?? ''));
    response.setHeader('Vary', 'Accept-Encoding');
    if (coding) response.setHeader('Content-Encoding', coding);
    response.setHeader('Content-Type', type);
    response.setHeader('Cache-Control', cache);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.sendFile(path);
  }
}
