/**
 * Content negotiation on Accept (RFC 9110, 12.5.1), over what the read API serves: JSON everywhere,
 * CSV on the matrix and the history.
 */
import { describe, expect, it } from 'vitest';
import { negotiate, parseAccept, qualityOf } from '../../../functions/api/negotiation.ts';

const BOTH = ['application/json', 'text/csv'] as const;
const JSON_ONLY = ['application/json'] as const;

describe('content negotiation', () => {
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['   ', 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['text/csv', 'text/csv'],
    ['TEXT/CSV', 'text/csv'],
    ['text/*', 'text/csv'],
    ['text/csv; charset=utf-8', 'text/csv'],
    ['text/csv;header=present;q=1', 'text/csv'],
  ])('Accept %j on a JSON and CSV route → %s', (accept, expected) => {
    expect(negotiate(accept, BOTH)).toBe(expected);
  });

  it.each([
    ['application/json;q=0.5, text/csv', 'text/csv'],
    ['text/csv;q=0.4, application/json;q=0.6', 'application/json'],
    ['text/csv;q=0.9, */*;q=0.1', 'text/csv'],
    ['text/csv, application/json', 'application/json'],
    ['text/html,application/xhtml+xml,*/*;q=0.8', 'application/json'],
    ['*/*;q=0.1, text/*;q=0.7', 'text/csv'],
    ['*/*, text/csv;q=0', 'application/json'],
    ['application/json;q=0, */*', 'text/csv'],
  ])('weighs Accept %j → %s (the most specific range decides, ties go to JSON)', (accept, expected) => {
    expect(negotiate(accept, BOTH)).toBe(expected);
  });

  it.each([
    ['text/csv'],
    ['text/html'],
    ['application/json;q=0'],
    ['application/json;q=0, text/csv'],
    ['application/json;q=zero'],
    ['nonsense'],
    [','],
  ])('finds nothing acceptable for Accept %j on a JSON-only route', (accept) => {
    expect(negotiate(accept, JSON_ONLY)).toBeUndefined();
  });

  it.each([['text/*, text/csv;q=0'], ['application/xml'], ['text/csv;q=0, application/json;q=0']])(
    'finds nothing acceptable for Accept %j on a JSON and CSV route',
    (accept) => {
      expect(negotiate(accept, BOTH)).toBeUndefined();
    },
  );

  it('reads ranges, weights and malformed parts of an Accept header', () => {
    expect(parseAccept(' text/csv ; q=0.5 , application/json, bogus, */*;Q=0.1')).toEqual([
      { type: 'text', subtype: 'csv', q: 0.5 },
      { type: 'application', subtype: 'json', q: 1 },
      { type: '*', subtype: '*', q: 0.1 },
    ]);
    expect(parseAccept('text/csv;q=abc')).toEqual([{ type: 'text', subtype: 'csv', q: 0 }]);
  });

  it('takes the quality of the most specific matching range, whatever the order', () => {
    const ranges = parseAccept('text/csv;q=0.2, */*;q=0.9, text/*;q=0.5');
    expect(qualityOf('text/csv', ranges)).toBe(0.2);
    expect(qualityOf('text/plain', ranges)).toBe(0.5);
    expect(qualityOf('application/json', ranges)).toBe(0.9);
    expect(qualityOf('application/json', parseAccept('text/csv'))).toBe(0);
  });
});
