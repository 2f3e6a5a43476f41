/**
 * The README's "Follow one statement" list is a newcomer's map from the PutEvents entry to the
 * position item and the published event: every hop must name a file that exists and a function (or
 * constant, class or method) defined in it, so a rename or a move cannot leave the map stale.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSync } from '@swc/core';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');

interface Hop {
  number: number;
  file: string;
  name: string;
}

const hopsOf = (markdown: string): Hop[] => {
  const start = markdown.indexOf('### Follow one statement');
  if (start === -1) throw new Error('README.md has no "### Follow one statement" section');
  const end = markdown.indexOf('\n#', start + 1);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^(\d+)\. `([^`]+)` `([^`]+)`/gm)].map(([, number, file, name]) => ({ number: Number(number), file: file!, name: name! }));
};

type Node = { type?: string; [key: string]: unknown };

const valueOf = (node: unknown): string | undefined => {
  const value = (node as Node | undefined)?.['value'];
  return typeof value === 'string' ? value : undefined;
};

/** Names a file defines at its top level, and the methods of its classes (as `method` and `Class.method`). */
const definedNames = (source: string): Set<string> => {
  const names = new Set<string>();
  const module = parseSync(source, { syntax: 'typescript' });
  for (const item of module.body as unknown as Node[]) {
    const declaration = (item.type === 'ExportDeclaration' ? item['declaration'] : item) as Node;
    if (declaration.type === 'FunctionDeclaration') names.add(valueOf(declaration['identifier'])!);
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration['declarations'] as Node[]) {
        const name = valueOf(declarator['id']);
        if (name !== undefined) names.add(name);
      }
    }
    if (declaration.type === 'ClassDeclaration') {
      const className = valueOf(declaration['identifier'])!;
      names.add(className);
      for (const member of declaration['body'] as Node[]) {
        const method = valueOf(member['key']);
        if (member.type === 'ClassMethod' && method !== undefined) names.add(method).add(`${className}.${method}`);
      }
    }
  }
  return names;
};

describe('README "Follow one statement"', () => {
  const hops = hopsOf(README);

  it('goes from the bus rule to the published event, one numbered hop a line', () => {
    expect(hops.length).toBeGreaterThanOrEqual(10);
    expect(hops.map((hop) => hop.number)).toEqual(hops.map((_, index) => index + 1));
    expect(hops[0]!.file).toBe('events/rules.ts');
    expect(hops.some((hop) => hop.name === 'advancePosition')).toBe(true);
    expect(hops.at(-1)!.file).toBe('functions/adapters/eventbridge/event-publisher.ts');
  });

  it('names a file that exists and a function defined in it at every hop', () => {
    const missing = hops.flatMap(({ number, file, name }) => {
      if (!existsSync(`${ROOT}${file}`)) return [`${number}. ${file}: no such file`];
      return definedNames(readFileSync(`${ROOT}${file}`, 'utf8')).has(name) ? [] : [`${number}. ${file}: defines no ${name}`];
    });
    expect(missing).toEqual([]);
  });

  it('reads definitions, not mentions: a name only imported or called is not found', () => {
    const names = definedNames("import { parseEvent } from './validation.ts';\nexport const admit = () => parseEvent('');\nclass Repo { async applyPosition() {} }\n");
    expect([...names].sort()).toEqual(['Repo', 'Repo.applyPosition', 'admit', 'applyPosition']);
  });
});
