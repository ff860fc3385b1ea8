import { escapeHtml, htmlPage } from './html';

describe('escapeHtml', () => {
  it('escapes HTML metacharacters, backtick included', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml('a&b`')).toBe('a&amp;b&#96;');
  });

  it('renders null and undefined as nothing, numbers as text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('htmlPage', () => {
  it('escapes the title and keeps robots out', () => {
    const html = htmlPage('<Invoice>', 'body{}', '<p>x</p>');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>&lt;Invoice&gt;</title>');
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain('<body><p>x</p></body>');
  });
});
