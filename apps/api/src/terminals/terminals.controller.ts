import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Param, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import { TERMINAL_CSV_COLUMNS, type AuditEntryResponse, type Page, type TerminalResponse, type TerminalSummaryResponse } from '@fleet/shared';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import * as QRCode from 'qrcode';
import { PageQueryDto } from '../common/api-dtos';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { toCsvRecord } from './terminal-csv';
import { CreateTerminalDto, ExportTerminalsQueryDto, ListTerminalsQueryDto, TransitionTerminalDto, UpdateTerminalDto } from './terminals.dto';
import { TerminalsService } from './terminals.service';

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

@ApiTags('terminals')
@Controller('terminals')
export class TerminalsController {
  constructor(private readonly terminals: TerminalsService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Terminals, filtered, sorted and paginated, with the total' })
  list(@Query() query: ListTerminalsQueryDto): Promise<Page<TerminalResponse>> {
    return this.terminals.list(query);
  }

  @Get('summary')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Terminals by lifecycle status, and deployed ones whose warranty ends within 30/60/90 days (reused for 30 s)' })
  summary(): Promise<TerminalSummaryResponse> {
    return this.terminals.summary();
  }

  @Get('export.csv')
  @RequirePermission('fleet:read')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The filtered list as CSV (the import format); formula-like cells are neutralised' })
  async export(@Query() query: ExportTerminalsQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const pages = this.terminals.stream(query);
    async function* records() {
      for await (const page of pages) for (const terminal of page) yield toCsvRecord(terminal);
    }
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="terminals.csv"');
    // A byte-order mark so spreadsheet programs read the Chinese text as UTF-8.
    const csv = Readable.from(records()).pipe(stringify({ header: true, columns: [...TERMINAL_CSV_COLUMNS], bom: true }));
    return new StreamableFile(csv);
  }

  @Post()
  @RequirePermission('terminals:write')
  @ApiOperation({ summary: 'Register a terminal; the asset number is allocated from its region' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateTerminalDto): Promise<TerminalResponse> {
    return this.terminals.create(actor, body);
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  get(@Param('id', ParseIdPipe) id: number): Promise<TerminalResponse> {
    return this.terminals.describe(id);
  }

  @Patch(':id')
  @RequirePermission('terminals:write')
  @ApiOperation({ summary: 'Change a terminal; carries the version read (body or If-Match), 409 if stale' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: UpdateTerminalDto, @Headers('if-match') ifMatch?: string): Promise<TerminalResponse> {
    return this.terminals.update(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @RequirePermission('terminals:transition')
  @ApiOperation({ summary: 'Move a terminal through its lifecycle; 409 TERMINAL_INVALID_TRANSITION if not allowed' })
  transition(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: TransitionTerminalDto, @Headers('if-match') ifMatch?: string): Promise<TerminalResponse> {
    return this.terminals.transition(actor, id, body.to, expectedVersion(body.version, ifMatch), body.reason);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('terminals:delete')
  @ApiOperation({ summary: 'Delete a terminal in stock, retired or disposed; its asset number is never reused' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.terminals.remove(actor, id);
  }

  @Get(':id/audit')
  @RequirePermission('audit:read')
  @ApiOperation({ summary: "The terminal's change history, newest first" })
  history(@Param('id', ParseIdPipe) id: number, @Query() query: PageQueryDto): Promise<Page<AuditEntryResponse>> {
    return this.terminals.history(id, query.page, query.pageSize);
  }

  @Get(':id/label.svg')
  @RequirePermission('fleet:read')
  @Header('Content-Type', 'image/svg+xml')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'A printable label: QR code of the asset number with the number beneath' })
  async labelSvg(@Param('id', ParseIdPipe) id: number): Promise<string> {
    const terminal = await this.terminals.getTerminal(id);
    const qr = await QRCode.toString(terminal.assetNumber, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const inner = qr.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
    const viewBox = /viewBox="([^"]+)"/.exec(qr)?.[1] ?? '0 0 33 33';
    const size = Number(viewBox.split(' ')[2] ?? 33);
    const text = escapeXml(terminal.assetNumber);
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size + 6}" width="240" height="${Math.round((240 * (size + 6)) / size)}">` +
      `<svg viewBox="${viewBox}" width="${size}" height="${size}">${inner}</svg>` +
      `<text x="${size / 2}" y="${size + 4}" font-family="monospace" font-size="3.2" text-anchor="middle">${text}</text></svg>`
    );
  }

  @Get(':id/label.png')
  @RequirePermission('fleet:read')
  @ApiProduces('image/png')
  @ApiOperation({ summary: 'QR code of the asset number as PNG' })
  async labelPng(@Param('id', ParseIdPipe) id: number): Promise<StreamableFile> {
    const terminal = await this.terminals.getTerminal(id);
    const png = await QRCode.toBuffer(terminal.assetNumber, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 480 });
    return new StreamableFile(png, { type: 'image/png', disposition: `inline; filename="${terminal.assetNumber}.png"` });
  }
}
