import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, toCsv, type CsvRow } from '../../functions/api/csv.ts';

const row = (overrides: Partial<CsvRow>): CsvRow =>
  ({ ...Object.fromEntries(CSV_COLUMNS.map((column) => [column, ''])), ...overrides }) as CsvRow;

describe('CSV', () => {
  it('quotes a field only when it holds a comma, a double quote or a line break, doubling the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('he said "maybe"')).toBe('"he said ""maybe"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('قال روته، «ليس من حقهم»')).toBe('قال روته، «ليس من حقهم»');
  });

  it('starts with a UTF-8 byte order mark, then the header, with CRLF after every record', () => {
    // Act
    const csv = toCsv([row({ actor: 'germany', quote: 'اعتبرت ألمانيا أن الوقت ما زال مبكراً, "للالتزام"' })]);

    // Assess
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, first, end] = csv.slice(1).split('\r\n');
    expect(header).toBe(CSV_COLUMNS.join(','));
    expect(first).toContain(',germany,');
    expect(first).toContain('"اعتبرت ألمانيا أن الوقت ما زال مبكراً, ""للالتزام"""');
    expect(end).toBe('');
  });

  it('writes only the header for an empty matrix', () => {
    expect(toCsv([])).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
  });
});
