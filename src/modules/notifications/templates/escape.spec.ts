import { escapeHtml } from '../../../platform/html/html';
import { oneLine, safeUrl } from './escape';

describe('escape helpers', () => {
  it('escapes HTML metacharacters', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml(null)).toBe('');
  });

  it('flattens header-breaking whitespace and bounds length', () => {
    expect(oneLine('a\r\nBcc: evil@example.com')).toBe('a Bcc: evil@example.com');
    expect(oneLine('x'.repeat(300), 10)).toHaveLength(10);
  });

  it('only accepts http(s) urls', () => {
    expect(safeUrl('https://pay.example.com/pay/abc')).toBe('https://pay.example.com/pay/abc');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl(42)).toBeNull();
  });
});
