/** RFC 4180 read back as a spreadsheet does: fields, quotes, doubled quotes, CRLF between records. */
export const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return rows;
};

/** The records of a CSV document that starts with a byte order mark, keyed by its header row. */
export const csvRecords = (csv: string): Array<Record<string, string>> => {
  const [header = [], ...rows] = parseCsv(csv.startsWith('\uFEFF') ? csv.slice(1) : csv);
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
};
