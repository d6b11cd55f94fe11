/** Split a shell command line into words (quotes, no expansion); stop at a pipe or a comment. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\|)|(#.*)|([^\s"'|]+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) && m[0].trim() !== '') {
    if (m[3] || m[4]) break;
    words.push(m[1] ?? m[2] ?? m[5]);
  }
  return words;
}
