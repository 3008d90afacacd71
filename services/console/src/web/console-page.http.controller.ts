import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError, Public } from '@backbone/platform';

/** The built page (npm run build puts it beside the compiled service): HTML, script, styles, ECharts, the XLSX writer. */
export const WEB_ROOT = join(__dirname, '..', '..', 'web');

const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'styles.css': 'text/css; charset=utf-8',
  'echarts.common.min.js': 'text/javascript; charset=utf-8',
  'write-excel-file.min.js': 'text/javascript; charset=utf-8',
};

/** Copied from pinned npm packages: cached for a day (the others change with every build). */
const LIBRARIES = new Set(['echarts.common.min.js', 'write-excel-file.min.js']);

/**
 * Serves the console itself: one page (the sign-in and every view), its script and styles, and the
 * charting library copied from the pinned npm package at build time. Nothing is fetched from the network.
 */
@ApiExcludeController()
@Public()
@Controller()
export class ConsolePageHttpController {
  @Get()
  page(@Res() response: Response) {
    this.send(response, 'index.html', 'text/html; charset=utf-8', 'no-cache');
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() response: Response) {
    const type = ASSETS[file];
    if (!type) throw new NotFoundError('asset', file);
    this.send(response, file, type, LIBRARIES.has(file) ? 'public, max-age=86400' : 'no-cache');
  }

  private send(response: Response, file: string, type: string, cache: string) {
    const path = join(WEB_ROOT, file);
    if (!existsSync(path)) throw new NotFoundError('console file (run npm run build)', file);
    response.setHeader('Content-Type', type);
    response.setHeader('Cache-Control', cache);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.sendFile(path);
  }
}
