import { escapeHtml } from '../../../platform/html/html';
import { oneLine } from './escape';
import { htmlDocument, optionalString, requireInteger, requireString, TemplateDataError, type RenderedMail } from './rendered-mail';

/**
 * data: `kind` ('low' | 'out_of_stock'), `product_name`, optional `sku`, optional `location`
 * (a name or id), `available` and `threshold` (integers).
 */
export function renderInventoryAlertMail(data: Record<string, unknown>): RenderedMail {
  const kind = data.kind;
  if (kind !== 'low' && kind !== 'out_of_stock') throw new TemplateDataError("inventory_alert mail needs kind 'low' or 'out_of_stock'");
  const product = requireString(data, 'product_name', 'inventory_alert');
  const available = requireInteger(data, 'available', 'inventory_alert');
  const threshold = requireInteger(data, 'threshold', 'inventory_alert');
  const sku = optionalString(data, 'sku');
  const location = optionalString(data, 'location');

  const state = kind === 'out_of_stock' ? 'Out of stock' : 'Low stock';
  const where = location ? ` at ${location}` : '';
  const subject = oneLine(`${state}: ${product}${sku ? ` (${sku})` : ''}${where}`);
  const detail = kind === 'out_of_stock'
    ? `has run out${where}: ${available} available (alert threshold ${threshold}).`
    : `is running low${where}: ${available} available, below the alert threshold of ${threshold}.`;
  const text = [
    `${oneLine(product)}${sku ? ` (SKU ${oneLine(sku)})` : ''} ${oneLine(detail)}`,
    '',
    kind === 'out_of_stock' ? 'New orders for it cannot be fulfilled until stock is received.' : 'Consider restocking soon.',
  ].join('\n');
  const html = htmlDocument(
    escapeHtml(subject),
    `<h2 style="color:${kind === 'out_of_stock' ? '#b00020' : '#b26a00'}">${escapeHtml(state)}</h2>` +
      `<p><strong>${escapeHtml(product)}</strong>${sku ? ` (SKU ${escapeHtml(sku)})` : ''} ${escapeHtml(detail)}</p>` +
      `<table cellpadding="4"><tr><td>Available</td><td>${available}</td></tr><tr><td>Threshold</td><td>${threshold}</td></tr>` +
      `${location ? `<tr><td>Location</td><td>${escapeHtml(location)}</td></tr>` : ''}</table>`,
  );
  return { subject, text, html };
}
