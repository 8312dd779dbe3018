import { expect, it } from 'vitest';
import { isEscaperName, looksLikePage, pageBody, RETURNED_PAGE, returnsPages } from '../../../src/analysis/catalog/responses.js';

it('takes text holding a tag as a page, and comparisons or generics as no page', () => {
  expect(looksLikePage({ labels: [], prefix: "<a href='https://" })).toBe(true);
  expect(looksLikePage({ labels: [], parts: ['</p>'] })).toBe(true);
  expect(looksLikePage({ labels: [], literal: '<br/>' })).toBe(true);
  expect(looksLikePage({ labels: [], prefix: 'count < limit' })).toBe(false);
  expect(looksLikePage({ labels: [], prefix: 'Map<string, number>' })).toBe(false);
  expect(looksLikePage({ labels: ['1#0'] })).toBe(false);
  expect(looksLikePage(undefined)).toBe(false);
});

it('reads the body of the senders it knows, and only when it is a page', () => {
  const page = { labels: ['1#0'], prefix: '<p>' };
  expect(pageBody({ callee: 'member:send', args: [page] })).toBe(page);
  expect(pageBody({ callee: RETURNED_PAGE, args: [page] })).toBe(page);
  expect(pageBody({ callee: 'member:send', args: [{ labels: ['1#0'] }] })).toBeNull();
  expect(pageBody({ callee: 'member:emit', args: [page] })).toBeNull();
});

it('sends a returned string as the page only for Flask and Quart views', () => {
  expect(returnsPages('flask route /preview')).toBe(true);
  expect(returnsPages('quart GET /x')).toBe(true);
  expect(returnsPages('fastapi GET /x')).toBe(false);
  expect(isEscaperName('escapeHtml')).toBe(true);
  expect(isEscaperName('encodeURIComponent')).toBe(true);
  expect(isEscaperName('render')).toBe(false);
});
