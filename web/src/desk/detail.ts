/**
 * From form values to an event detail, and from the contracts' problems back to the form's fields.
 * Validation is the processor's own (events/validation.ts over the zod/mini contracts), so the
 * desk refuses exactly what the processor would quarantine, with the same reason, field by field;
 * nothing is sent while a problem stands.
 */
import { parseEvent } from '../../../events/validation.ts';
import { DESK_SOURCE } from '../../../events/common.ts';
import type { FieldProblem } from '../api/types.ts';

export type FieldValue = string | boolean;

/** How a field's text becomes a detail value. */
export type Conversion = 'text' | 'int' | 'bool' | 'yes-no' | 'lines' | 'instant' | 'issues';

export interface FieldRule {
  path: string;
  convert: Conversion;
  /** Left out of the detail when blank (the contract then decides whether it may be absent). */
  optional?: boolean;
}

const setPath = (target: Record<string, unknown>, path: string, value: unknown): void => {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = next !== null && typeof next === 'object' ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
};

/** `datetime-local` gives a wall-clock time without zone: read it in the browser's zone, send it in UTC. */
const toInstant = (text: string): string => {
  if (/[zZ]$|[+-]\d{2}:\d{2}$/.test(text)) return text;
  const millis = Date.parse(text);
  return Number.isNaN(millis) ? text : new Date(millis).toISOString();
};

const lines = (text: string): string[] => text.split('\n').map((line) => line.trim()).filter((line) => line !== '');

const convert = (rule: FieldRule, value: FieldValue): unknown => {
  if (typeof value === 'boolean') return value;
  switch (rule.convert) {
    case 'int':
      // Not a number stays text, so the contract names what is wrong with it.
      return /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
    case 'bool':
      return value === 'true';
    case 'yes-no':
      return value === 'yes';
    case 'lines':
      return lines(value);
    case 'instant':
      return toInstant(value.trim());
    case 'issues':
      return value.trim() === '*' ? '*' : lines(value);
    case 'text':
      return value;
  }
};

const isBlank = (value: FieldValue | undefined): boolean => value === undefined || (typeof value === 'string' && value.trim() === '');

export const buildDetail = (rules: readonly FieldRule[], values: Readonly<Record<string, FieldValue>>, fixed: Record<string, unknown>): Record<string, unknown> => {
  const detail: Record<string, unknown> = structuredClone(fixed);
  for (const rule of rules) {
    const value = values[rule.path];
    if (isBlank(value)) {
      if (rule.optional === true) continue;
      if (rule.convert === 'lines') setPath(detail, rule.path, []);
      continue;
    }
    setPath(detail, rule.path, convert(rule, value as FieldValue));
  }
  return detail;
};

/** Every problem of the detail against its contract, fields as paths inside the detail (`quote.lang`). */
export const validateDetail = (detailType: string, detail: Record<string, unknown>): FieldProblem[] => {
  const parsed = parseEvent({ 'detail-type': detailType, source: DESK_SOURCE, detail });
  if (parsed.ok) return [];
  return parsed.problems.map(({ field, reason }) => ({
    field: field === 'detail' ? '' : field.startsWith('detail.') ? field.slice('detail.'.length) : field,
    reason,
  }));
};

/**
 * Which field shows a problem: the field it names; else the first field inside what it names
 * (`quote` is required → the quote's text); else the field a deeper path falls in (`members.2` →
 * the members list). What fits no field is listed apart, so nothing is hidden.
 */
export const assignProblems = (
  problems: readonly FieldProblem[],
  paths: readonly string[],
): { byField: Map<string, string[]>; unplaced: FieldProblem[] } => {
  const byField = new Map<string, string[]>();
  const unplaced: FieldProblem[] = [];
  for (const problem of problems) {
    const target =
      paths.find((path) => path === problem.field) ??
      paths.find((path) => problem.field !== '' && path.startsWith(`${problem.field}.`)) ??
      paths.find((path) => problem.field.startsWith(`${path}.`));
    if (target === undefined) unplaced.push(problem);
    else byField.set(target, [...(byField.get(target) ?? []), problem.reason]);
  }
  return { byField, unplaced };
};
