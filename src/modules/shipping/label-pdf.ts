import type { PDFFont, PDFPage } from 'pdf-lib';
import type { LabelLayout } from './label-layout';

type PdfLib = typeof import('pdf-lib');

/**
 * pdf-lib is required on the first label, not at boot: it is the heaviest module only one route
 * uses (~0.8 s of the API's cold start under load, and its code and fonts in every process's heap).
 */
function pdfLib(): PdfLib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (see above); require caches it
  return require('pdf-lib') as PdfLib;
}

/** 4 × 6 in at 72 pt per inch: the thermal-printer label size carriers use. */
const WIDTH = 4 * 72;
const HEIGHT = 6 * 72;
const MARGIN = 14;

/** Helvetica (a standard PDF font, no font file) covers WinAnsi only: anything else is replaced, never an error. */
function printable(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '?');
}

class Cursor {
  constructor(private readonly page: PDFPage, private y: number, private readonly rgb: PdfLib['rgb']) {}

  line(text: string, font: PDFFont, size: number, gapAfter = 2): void {
    this.y -= size;
    this.page.drawText(printable(text), { x: MARGIN, y: this.y, size, font, maxWidth: WIDTH - 2 * MARGIN });
    this.y -= gapAfter;
  }

  rule(): void {
    this.y -= 6;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: WIDTH - MARGIN, y: this.y }, thickness: 1, color: this.rgb(0, 0, 0) });
    this.y -= 8;
  }
}

/**
 * Draws the label with pdf-lib: one 4 × 6 in page, the route, the service and the tracking number.
 * The document's dates are the shipment's creation time, so the same shipment always gives the
 * same bytes. The title and keywords carry the tracking number and ids for tooling that reads PDFs.
 */
export async function renderLabelPdf(layout: LabelLayout, createdAt: Date): Promise<Buffer> {
  const { PDFDocument, StandardFonts, rgb } = pdfLib();
  const doc = await PDFDocument.create();
  doc.setTitle(`Shipping label ${layout.trackingNumber}`);
  doc.setSubject(layout.service);
  doc.setKeywords([layout.trackingNumber, ...layout.details]);
  doc.setProducer('Commerce & Billing API');
  doc.setCreator('Commerce & Billing API');
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([WIDTH, HEIGHT]);
  page.drawRectangle({ x: 4, y: 4, width: WIDTH - 8, height: HEIGHT - 8, borderColor: rgb(0, 0, 0), borderWidth: 2 });

  const at = new Cursor(page, HEIGHT - MARGIN, rgb);
  at.line(layout.title, bold, 18, 4);
  at.rule();
  at.line('FROM', bold, 8);
  for (const l of layout.from) at.line(l, regular, 9);
  at.rule();
  at.line('SHIP TO', bold, 10);
  for (const l of layout.to) at.line(l, bold, 13, 3);
  at.rule();
  at.line('TRACKING NUMBER', bold, 8);
  at.line(layout.trackingNumber, bold, 20, 6);
  at.rule();
  for (const l of layout.details) at.line(l, regular, 9);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
