/**
 * Decodes a Stripe API request body or query string (`application/x-www-form-urlencoded` with
 * bracket keys, as the stripe SDK encodes it: `metadata[a]=1`, `expand[0]=x`, `a[b][c]=v`) into
 * nested objects; numeric brackets become arrays.
 */
export function decodeStripeForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    // An array is indexed by its numeric keys like an object: `node[part]` serves both.
    let node = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]);
      if (last) node[part] = value;
      else node = (node[part] ??= nextIsIndex ? [] : {}) as Record<string, unknown>;
    });
  }
  return root;
}
