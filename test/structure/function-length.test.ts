/**
 * No function in functions/ or local/ grows past about a screen and a half: a use case longer than
 * that is a factory whose inner closures share state (issue 10), and its steps cannot be read or
 * tested alone. Parsed with swc, so every form counts: declarations, arrows, function expressions,
 * methods, accessors and constructors, nested ones each on their own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from '@swc/core';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAX_LINES = 120;

const FUNCTION_NODES = new Set([
  'FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression',
  'ClassMethod', 'PrivateMethod', 'Constructor', 'MethodProperty', 'GetterProperty', 'SetterProperty',
]);

interface FunctionLength {
  file: string;
  line: number;
  name: string;
  lines: number;
}

type Node = { type?: string; span?: { start: number; end: number }; [key: string]: unknown };

const nameOf = (node: Node): string | undefined => {
  for (const field of ['identifier', 'key', 'id'] as const) {
    const named = node[field] as Node | undefined;
    if (named !== undefined && typeof named.value === 'string') return named.value;
  }
  return undefined;
};

/** Every function of one TypeScript source, with its length in lines (first to last, inclusive). */
const functionLengths = (file: string, source: string): FunctionLength[] => {
  const bytes = Buffer.from(source, 'utf8');
  // swc spans are 1-based UTF-8 byte offsets: count lines in bytes, not in UTF-16 units (Arabic).
  const lineStarts = [0];
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lineStarts.push(at + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };

  const found: FunctionLength[] = [];
  const visit = (value: unknown, hint: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, hint);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    const here = nameOf(node) ?? hint;
    if (node.type !== undefined && FUNCTION_NODES.has(node.type) && node.span !== undefined) {
      const line = lineOf(node.span.start - 1);
      found.push({ file, line, name: here, lines: lineOf(node.span.end - 2) - line + 1 });
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'span') visit(child, here);
    }
  };
  visit(parseSync(source, { syntax: 'typescript', tsx: false, comments: false }), '(anonymous)');
  return found;
};

const sourcesUnder = (folder: string): string[] =>
  readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts') && !path.split('/').includes('node_modules'))
    .map((path) => join(ROOT, folder, path));

describe('function length', () => {
  it('counts a function from its first line to its last, in a file with Arabic text before it', () => {
    // Prepare: a multi-byte line before the function shifts byte offsets away from character offsets.
    const source = "const quote = 'قائد الكرملين';\nconst a = (x: number): number => {\n  const y = x + 1;\n  return y;\n};\nclass B {\n  m(): void {}\n}\n";
    // Act
    const lengths = functionLengths('sample.ts', source);
    // Assess
    expect(lengths).toEqual([
      { file: 'sample.ts', line: 2, name: 'a', lines: 4 },
      { file: 'sample.ts', line: 7, name: 'm', lines: 1 },
    ]);
  });

  it(`finds no function over ${MAX_LINES} lines in functions/ or local/`, () => {
    // Act
    const files = ['functions', 'local'].flatMap(sourcesUnder);
    const lengths = files.flatMap((path) => functionLengths(relative(ROOT, path), readFileSync(path, 'utf8')));
    // Assess: the scan saw the write path's use case, so an empty list means something.
    expect(lengths.some(({ file, name }) => file === 'functions/application/record-statement.ts' && name === 'recordStatement')).toBe(true);
    const tooLong = lengths.filter(({ lines }) => lines > MAX_LINES).map(({ file, line, name, lines }) => `${file}:${line} ${name} (${lines} lines)`);
    expect(tooLong).toEqual([]);
  });
});
