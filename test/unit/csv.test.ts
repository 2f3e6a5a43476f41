import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, csvTextField, toCsv, type CsvRow } from '../../functions/api/csv.ts';
import { csvRecords } from '../support/csv-records.ts';

const row = (overrides: Partial<CsvRow>): CsvRow =>
  ({ ...Object.fromEntries(CSV_COLUMNS.map((column) => [column, ''])), ...overrides }) as CsvRow;

const HYPERLINK = '=HYPERLINK("http://evil","x")';

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

describe('CSV and formulas', () => {
  it.each([
    [HYPERLINK, `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+1', `"'+1+1"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['\uFF1D1+1', `"'\uFF1D1+1"`],
  ])('defuses the text cell %j with a leading apostrophe, quoted', (text, expected) => {
    expect(csvTextField(text)).toBe(expected);
  });

  it('leaves text cells that do not start like a formula as RFC 4180 writes them', () => {
    expect(csvTextField('Reuters')).toBe('Reuters');
    expect(csvTextField('1 = 1')).toBe('1 = 1');
    expect(csvTextField('a, =b')).toBe('"a, =b"');
    expect(csvTextField('قال روته، «ليس من حقهم»')).toBe('قال روته، «ليس من حقهم»');
  });

  it('defuses every text column by default, and keeps a negative stance a number', () => {
    // Prepare
    const hostile = row({
      stance: '-2',
      actor_name_en: '=1+1',
      speaker_name_ar: '-روته',
      quote: HYPERLINK,
      translation: '@cmd',
      reason: '+reason',
      source_outlet: '\tOutlet',
    });

    // Act
    const csv = toCsv([hostile]);

    // Assess
    const [parsed] = csvRecords(csv);
    expect(parsed).toMatchObject({
      stance: '-2',
      actor_name_en: "'=1+1",
      speaker_name_ar: "'-روته",
      quote: `'${HYPERLINK}`,
      translation: "'@cmd",
      reason: "'+reason",
      source_outlet: "'\tOutlet",
    });
    expect(csv).toContain(',-2,');
    // Every cell left of the apostrophe is the stored text, byte for byte: Arabic is untouched.
    expect(Buffer.from(csv, 'utf8').includes(Buffer.from("'-روته", 'utf8'))).toBe(true);
  });

  it('writes every cell exactly as stored with raw, BOM and CRLF as always', () => {
    // Prepare
    const hostile = row({ stance: '-2', quote: HYPERLINK, speaker_name_ar: '-روته', source_outlet: '@SUM(1)' });

    // Act
    const csv = toCsv([hostile], { raw: true });

    // Assess
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csvRecords(csv)[0]).toMatchObject({ stance: '-2', quote: HYPERLINK, speaker_name_ar: '-روته', source_outlet: '@SUM(1)' });
    expect(csv.split('\r\n')[1]).toBe(CSV_COLUMNS.map((column) => csvField(hostile[column])).join(','));
  });
});
