/**
 * Escape text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<b a="1">'); // "&lt;b a=&quot;1&quot;&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/**
 * JSON that is safe inside a `<script>` element: `<`, `>` and `&` become `\u003c`-style escapes (so neither
 * `</script>` nor `<!--` can appear), and the line separators U+2028/U+2029 are escaped too. JSON.parse reads it back
 * unchanged.
 *
 * @example
 * ```ts
 * jsonForScript({ name: "</script>" }); // '{"name":"\\u003c/script\\u003e"}'
 * ```
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Inline JavaScript source safely: any `</script` (any case) becomes `<\/script`, which means the same in JS strings,
 * regular expressions and comments, but cannot end the HTML element early.
 *
 * @example
 * ```ts
 * `<script>${scriptForHtml(chartJsSource())}</script>`;
 * ```
 */
export function scriptForHtml(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1");
}
