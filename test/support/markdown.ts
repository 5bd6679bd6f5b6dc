/** The fenced blocks of a markdown text in the given language (```ts, ```sh, ...), in order. */
export function codeBlocks(markdown: string, lang: string): string[] {
  const blocks: string[] = [];
  const fence = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  for (const m of markdown.matchAll(fence)) blocks.push(m[1] ?? '');
  return blocks;
}
