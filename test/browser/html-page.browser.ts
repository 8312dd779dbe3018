/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate() callbacks run in the page: DOM types for them. The build (tsconfig.build.json) compiles src/ without them.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/audit-content.js';
import { renderHtml } from '../../src/reporters/html.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';
import { hostileReport } from '../helpers/hostile-report.js';

// The HTML report as a reader gets it: opened from disk in a real browser (Debian's chromium, driven
// by playwright-core, which brings no browser of its own). Each page must render with no console
// error, no blocked or attempted load, its stylesheet applied under its own policy, every box's text
// inside the box and each chain's arrow from the reading box to the acting one. Screenshots stay in
// the temporary folder printed at the start, to be looked at.

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium's own services try the network at start-up,
// which machines without it refuse en masse; --no-sandbox because CI runs as root.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
let folder: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM to one`);
  folder = await mkdtemp(path.join(os.tmpdir(), 'dxt-audit-html-'));
  console.info(`HTML pages and screenshots: ${folder}`);
  // launch() starts Chromium headless with a fresh profile folder of its own, removed on close.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  /** Console errors and warnings, script errors, policy violations and requests other than the page itself. */
  problems: string[];
}

/** Writes `text` to the temporary folder, opens it, waits for it to load and screenshots it. */
async function open(name: string, text: string): Promise<Opened> {
  const file = path.join(folder, `${name}.html`);
  await writeFile(file, text);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('request', (request) => {
    if (request.url() !== url) problems.push(`request: ${request.url()}`);
  });
  // Runs before the page's own content, from the driver: the page's policy does not apply to it.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`policy violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
  return { page, problems };
}

async function scanned(name: string, args: string[]): Promise<Opened> {
  const file = path.join(folder, `${name}.html`);
  const run = await runCli(['scan', ...args, '--format', 'html', '--output', file]);
  expect(run.stderr).toBe('');
  return open(name, await readFile(file, 'utf8'));
}

interface Drawn {
  boxes: Array<{ title: string; x: number; y: number; width: number; height: number; textsInside: boolean }>;
  edges: Array<{ start: { x: number; y: number }; end: { x: number; y: number } }>;
}

/** The graph as the browser laid it out, in SVG user units. */
async function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll<SVGGElement>('svg.graph .node')].map((node) => {
      const box = node.querySelector<SVGRectElement>('rect.box')!.getBBox();
      const textsInside = [...node.querySelectorAll<SVGTextElement>('text')].every((text) => {
        const bounds = text.getBBox();
        return bounds.x >= box.x && bounds.x + bounds.width <= box.x + box.width && bounds.y >= box.y && bounds.y + bounds.height <= box.y + box.height;
      });
      return { title: node.querySelector('title')!.textContent!, x: box.x, y: box.y, width: box.width, height: box.height, textsInside };
    });
    const edges = [...document.querySelectorAll<SVGPathElement>('svg.graph .edge')].map((edge) => {
      const start = edge.getPointAtLength(0);
      const end = edge.getPointAtLength(edge.getTotalLength());
      return { start: { x: start.x, y: start.y }, end: { x: end.x, y: end.y } };
    });
    return { boxes, edges };
  });
}

function expectReadable(graph: Drawn): void {
  for (const box of graph.boxes) expect(box.textsInside, box.title).toBe(true);
  for (const [index, box] of graph.boxes.entries()) {
    for (const other of graph.boxes.slice(index + 1)) {
      const apart = box.x + box.width <= other.x || other.x + other.width <= box.x || box.y + box.height <= other.y || other.y + other.height <= box.y;
      expect(apart, `${box.title} / ${other.title}`).toBe(true);
    }
  }
}

const boxOf = (graph: Drawn, name: string) => graph.boxes.find((box) => box.title.startsWith(`${name}:`))!;
const onLeftSide = (point: { x: number; y: number }, box: Drawn['boxes'][number]) => Math.abs(point.x - box.x) < 1 && point.y > box.y && point.y < box.y + box.height;
const onRightSide = (point: { x: number; y: number }, box: Drawn['boxes'][number]) => onLeftSide({ x: point.x - box.width, y: point.y }, box);

describe('the HTML report in Chromium', () => {
  it('shows the hello-world bundle with its stylesheet applied, loading nothing', async () => {
    const { page, problems } = await scanned('hello-world', [repoPath('fixtures/examples/hello-world.dxt')]);
    expect(problems).toEqual([]);
    // The stylesheet applied: its hash in the policy matched.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('header.verdict')!).borderLeftWidth)).toBe('10px');
    expect(await page.locator('h1').textContent()).toBe('Passed gate high');
    expect(await page.locator('svg.graph').count()).toBe(0);
  });

  it('draws the chain fixtures: one box per extension, one arrow from the calendar reader to the shell runner', async () => {
    const { page, problems } = await scanned('chains', [repoPath('fixtures/chains/bundles')]);
    expect(problems).toEqual([]);
    const graph = await drawn(page);
    expect(graph.boxes.map((box) => box.title.split(':')[0])).toEqual(['Shell Runner', 'Team Calendar', 'Unit Converter']);
    expect(graph.edges).toHaveLength(1);
    expect(onRightSide(graph.edges[0]!.start, boxOf(graph, 'Team Calendar'))).toBe(true);
    expect(onLeftSide(graph.edges[0]!.end, boxOf(graph, 'Shell Runner'))).toBe(true);
    expectReadable(graph);
    expect(await page.locator('ol.chains li').count()).toBe(1);
  });

  it('draws the installed fixtures: the disabled shell runner dashed, no arrow', async () => {
    const { page, problems } = await scanned('installed', ['--claude-dir', repoPath('fixtures/chains/claude-dir')]);
    expect(problems).toEqual([]);
    const graph = await drawn(page);
    expect(graph.boxes).toHaveLength(4);
    expect(graph.edges).toEqual([]);
    expectReadable(graph);
    const dash = await page.evaluate(() => getComputedStyle(document.querySelector('svg.graph .node.disabled rect.box')!).strokeDasharray);
    expect(dash).not.toBe('none');
  });

  it('draws the chain fixtures beside their installed copies: seven boxes, the arrow to the enabled copy', async () => {
    const { page, problems } = await scanned('chains-and-installed', [repoPath('fixtures/chains/bundles'), '--claude-dir', repoPath('fixtures/chains/claude-dir')]);
    expect(problems).toEqual([]);
    const graph = await drawn(page);
    expect(graph.boxes).toHaveLength(7);
    expect(graph.edges).toHaveLength(1);
    const shellRunners = graph.boxes.filter((box) => box.title.startsWith('Shell Runner'));
    expect(shellRunners.map((box) => box.title.split(':')[0])).toEqual(['Shell Runner', 'Shell Runner (disabled)']);
    expect(onLeftSide(graph.edges[0]!.end, shellRunners[0]!)).toBe(true);
    expectReadable(graph);
  });

  it('shows a hostile bundle as what it is', async () => {
    const { page, problems } = await scanned('hostile-bundle', [repoPath('fixtures/rules/chain-toxic-combination/invalid')]);
    expect(problems).toEqual([]);
    expect(await page.locator('h1').textContent()).toBe('FAILED at gate high');
    expect(await page.locator('details.group.sev-critical[open] li.finding').count()).toBeGreaterThan(0);
  });

  it('keeps hostile names text: no element, script or load comes from them', async () => {
    const { page, problems } = await open('hostile-names', renderHtml(hostileReport(), { rules: RULES }));
    expect(problems).toEqual([]);
    expect(await page.locator('script, img, iframe, object, embed, link, base, form, meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.locator('body').innerText()).toContain('message x | y </details> <script>alert(1)</script> <img src=x onerror=alert(1)>');
    expectReadable(await drawn(page));
  });

  it('catches what it looks for: a blocked style, a load and the policy violations are all reported', async () => {
    const { problems } = await open('refused', '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"><p style="color:red">x</p><img src="https://example.invalid/x.png">');
    expect(problems).toContain('request: https://example.invalid/x.png');
    expect(problems).toContain('console error: policy violation: style-src-attr inline');
    expect(problems).toContain('console error: policy violation: img-src https://example.invalid/x.png');
    expect(problems.filter((problem) => problem.includes('violates the following Content Security Policy directive'))).toHaveLength(2);
  });
});
