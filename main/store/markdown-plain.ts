/**
 * Markdown as the words a reader sees, for search snippets: a reply saved as `In **Kampala** see [WHO](https://…)`
 * is shown in the sidebar as `In Kampala see WHO`, not with its asterisks, brackets and addresses. Line by line
 * and by pattern (no parser): a snippet only needs the words in order, and a stray mark left in odd Markdown is
 * harmless there.
 */
export function markdownToPlain(text: string): string {
  return (
    text
      // Fences (``` or ~~~ with an info string): the code stays, the fence lines go.
      .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*$/gm, '')
      // Horizontal rules and table separator rows.
      .replace(/^ {0,3}([-*_])( *\1){2,} *$/gm, '')
      .replace(/^ *\|? *:?-{3,}:? *(\| *:?-{3,}:? *)*\|? *$/gm, '')
      // Headings, blockquote marks and list bullets at a line's start.
      .replace(/^ {0,3}#{1,6}[ \t]+/gm, '')
      .replace(/^ {0,3}(> ?)+/gm, '')
      .replace(/^([ \t]*)[-*+][ \t]+(\[[ xX]\][ \t]+)?/gm, '$1')
      // Images and links: their words; autolinks: their address.
      .replace(/!\[([^\]]*)\]\([^)\s]*(?:\s+"[^"]*")?\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)\s]*(?:\s+"[^"]*")?\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
      // Emphasis, strike-through and inline code: the words inside. `_` only around words (snake_case stays).
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
      .replace(/\*(?=[^\s*])([^*\n]*?[^\s*])\*/g, '$1')
      .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/gu, '$1$2')
      .replace(/`+([^`\n]+?)`+/g, '$1')
      // Table cells: a pipe between words reads as a gap.
      .replace(/ *\| */g, ' ')
  );
}
