/**
 * Plain-text tables for the terminal: columns padded to their widest cell. The last column may hold
 * several lines (`\n`) and, given `width`, wraps at word boundaries so no line is longer than that.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  width?: number,
): string {
  const last = headers.length - 1;
  const widths = headers.map((header, column) =>
    column === last ? 0 : Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const indent = widths.slice(0, last).reduce((sum, columnWidth) => sum + columnWidth + 2, 0);
  const room = width === undefined ? Number.POSITIVE_INFINITY : Math.max(20, width - indent);
  const lines = (cells: readonly string[]) => {
    const [first = '', ...more] = (cells[last] ?? '').split('\n').flatMap((text) => wrap(text, room));
    const lead = cells
      .slice(0, last)
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ');
    return [`${lead}  ${first}`.trimEnd(), ...more.map((line) => `${' '.repeat(indent)}${line}`)];
  };
  const longest = Math.max(
    headers[last]?.length ?? 0,
    ...rows.flatMap((row) => lines(row).map((line) => line.length - indent)),
  );
  return [
    ...lines(headers),
    ...lines(
      widths.map((columnWidth, column) =>
        '-'.repeat(column === last ? Math.min(longest, room) : columnWidth),
      ),
    ),
    ...rows.flatMap(lines),
  ].join('\n');
}

/**
 * The text in lines of at most `room` characters, broken between words, or after a comma inside a
 * word too long for a line (`requiredLogTypes=api,audit,...`).
 */
function wrap(text: string, room: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const pieces = word.length > room ? (word.match(/[^,]+,?|,/g) ?? [word]) : [word];
    pieces.forEach((piece, index) => {
      const joined = line === '' ? piece : index === 0 ? `${line} ${piece}` : `${line}${piece}`;
      if (line !== '' && joined.length > room) {
        lines.push(line);
        line = piece;
      } else line = joined;
    });
  }
  return [...lines, line];
}
