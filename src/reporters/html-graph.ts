import { compareText } from '../common.js';
import { SEVERITIES, type BundleReport, type Combination, type Severity } from '../report.js';
import { bundleName } from './common.js';
import { shownClass } from './explain.js';
import { HEADER, LABEL, layoutGraph, ROW, type Box, type Column, type Port } from './graph-layout.js';
import { html } from './html-text.js';

// The connector graph of the HTML report: each extension a box marked by its class and state, each
// chain across extensions an arrow from the tool that reads to the tool that acts, in the colour of
// its severity, numbered as the list of chains under it. Inline SVG drawn from graph-layout.ts;
// styled only by the page's stylesheet through classes (the page's CSP allows no style attribute).

/** An extension in the picture: its report and the id of its section on the page. */
export interface GraphBundle {
  bundle: BundleReport;
  anchor: string;
}

type ShownClass = ReturnType<typeof shownClass>;

/** The class as the page names it (explain.ts shownClass): the report's three, or what is not an analysed server. */
export const CLASS_WORDS: Readonly<Record<ShownClass, string>> = {
  retrieval: 'retrieval',
  transformation: 'transformation',
  execution: 'execution',
  none: 'not a server',
  unknown: 'not analysed',
};

const COLUMN_HEADINGS = {
  left: 'Retrieval: brings outside content in',
  lane: 'the model',
  right: 'Execution: runs code, changes the machine',
  below: 'No chain starts or ends here',
} as const;

/** The order classes are named in, wherever the graph lists them. */
const CLASS_ORDER: readonly ShownClass[] = ['retrieval', 'transformation', 'execution', 'unknown', 'none'];

/** Characters of a name or tool that fit a box's width at the stylesheet's font sizes. */
const NAME_FITS = 26;
const TOOL_FITS = 24;

/**
 * Arrows drawn at most. Chains come worst first, and past this many the picture is no longer read,
 * while placing each arrow's label clear of the others costs more than the square of their number
 * (a batch of 150 extensions makes 22,350 chains): the list under the picture names them all.
 */
const MAX_DRAWN = 100;

/** The graph, its legend and the numbered chains, as one <figure>; bundles in the order the page lists them. */
export function connectorGraph(bundles: readonly GraphBundle[], combinations: readonly Combination[]): string {
  const endpoints = combinations.map((combination) => ({ from: holderOf(bundles, combination.source.bundle), to: holderOf(bundles, combination.sink.bundle) }));
  const pictured = combinations.slice(0, MAX_DRAWN);
  const picturedEnds = endpoints.slice(0, MAX_DRAWN);
  const tools = bundles.map((_, index) => toolsOf(index, pictured, picturedEnds));
  const classes = bundles.map(({ bundle }) => shownClass(bundle));
  const columns = classes.map((shown, index) => columnOf(shown, index, picturedEnds));
  const drawn = pictured.flatMap((combination, index) => {
    const { from, to } = picturedEnds[index]!;
    return from === null || to === null ? [] : [{ combination, number: index + 1, from: portOf(from, combination.source.tool, tools), to: portOf(to, combination.sink.tool, tools) }];
  });
  const layout = layoutGraph(
    columns.map((column, index) => ({ column, rows: tools[index]!.length })),
    drawn.map(({ from, to }) => ({ from, to })),
  );

  const svg: string[] = [
    `<svg class="graph" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="Connector graph: ${bundles.length} extensions, ${combinations.length} chains">`,
    markers(drawn.map(({ combination }) => combination.severity)),
  ];
  if (layout.lane !== null) {
    const { x, y, width, height } = layout.lane;
    svg.push(
      `<rect class="lane" x="${x + 12}" y="${y}" width="${width - 24}" height="${height}" rx="14"/>`,
      `<text class="heading" x="16" y="20">${COLUMN_HEADINGS.left}</text>`,
      `<text class="heading lane-heading" x="${x + width / 2}" y="20">${COLUMN_HEADINGS.lane}</text>`,
      `<text class="heading end" x="${layout.width - 16}" y="20">${COLUMN_HEADINGS.right}</text>`,
    );
  }
  if (layout.belowHeading !== null) {
    const below = CLASS_ORDER.filter((name) => classes.some((shown, index) => shown === name && columns[index] === 'below'));
    svg.push(`<text class="heading" x="16" y="${layout.belowHeading}">${COLUMN_HEADINGS.below}: ${below.map((name) => CLASS_WORDS[name]).join(' · ')}</text>`);
  }
  for (const [index, { bundle, anchor }] of bundles.entries()) svg.push(node(bundle, anchor, classes[index]!, layout.nodes[index]!, tools[index]!, columns[index]!));
  for (const [index, { combination, number }] of drawn.entries()) {
    const { path, label } = layout.edges[index]!;
    svg.push(`<path class="edge sev-${combination.severity}" d="${path}" marker-end="url(#arrow-${combination.severity})"/>`);
    svg.push(
      `<g class="edge-label sev-${combination.severity}"><rect x="${label.x - LABEL.width / 2}" y="${label.y - LABEL.height / 2}" width="${LABEL.width}" height="${LABEL.height}" rx="9"/>` +
        `<text x="${label.x}" y="${label.y + 4}">${number} · ${combination.severity}</text></g>`,
    );
  }
  svg.push('</svg>');
  const disabled = bundles.some(({ bundle }) => bundle.installation?.enabled === false);
  return [
    `<figure class="connectors">`,
    ...svg,
    legend(
      CLASS_ORDER.filter((name) => classes.includes(name)),
      disabled,
      drawn.map(({ combination }) => combination.severity),
      combinations.length,
    ),
    `</figure>`,
    chainList(bundles, combinations, endpoints, disabled),
  ].join('\n');
}

/** The box a chain's end is drawn at: the first enabled extension with that id (chains pair only enabled ones), else the first. */
function holderOf(bundles: readonly GraphBundle[], id: string): number | null {
  const matching = bundles.flatMap((entry, index) => (entry.bundle.id === id ? [index] : []));
  const enabled = matching.find((index) => bundles[index]!.bundle.installation?.enabled !== false);
  return enabled ?? matching[0] ?? null;
}

interface ToolRow {
  name: string;
  reads: boolean;
  acts: boolean;
}

/** The tools of one box that arrows start or end at, in name order. */
function toolsOf(index: number, combinations: readonly Combination[], endpoints: ReadonlyArray<{ from: number | null; to: number | null }>): ToolRow[] {
  const rows = new Map<string, ToolRow>();
  const row = (name: string) => rows.get(name) ?? rows.set(name, { name, reads: false, acts: false }).get(name)!;
  for (const [position, combination] of combinations.entries()) {
    const { from, to } = endpoints[position]!;
    if (from === index && combination.source.tool !== undefined) row(combination.source.tool).reads = true;
    if (to === index && combination.sink.tool !== undefined) row(combination.sink.tool).acts = true;
  }
  return [...rows.values()].sort((a, b) => compareText(a.name, b.name));
}

function portOf(node: number, tool: string | undefined, tools: readonly ToolRow[][]): Port {
  const row = tool === undefined ? -1 : tools[node]!.findIndex((entry) => entry.name === tool);
  return { node, row: row === -1 ? null : row };
}

/** Beside the lane by class; a chain's end is beside it whatever its class, on the side of the role it plays. */
function columnOf(shown: ShownClass, index: number, endpoints: ReadonlyArray<{ from: number | null; to: number | null }>): Column {
  if (endpoints.some(({ from }) => from === index)) return shown === 'execution' ? 'right' : 'left';
  if (endpoints.some(({ to }) => to === index)) return shown === 'retrieval' ? 'left' : 'right';
  return shown === 'retrieval' ? 'left' : shown === 'execution' ? 'right' : 'below';
}

function node(bundle: BundleReport, anchor: string, shown: ShownClass, box: Box, tools: readonly ToolRow[], column: Column): string {
  const disabled = bundle.installation?.enabled === false;
  const state = stateWords(bundle);
  const { x, y, width, height } = box;
  const lines = [
    `<a href="#${anchor}"><g class="node class-${shown}${disabled ? ' disabled' : ''}">`,
    `<title>${html(bundleName(bundle))}: ${CLASS_WORDS[shown]}${state === '' ? '' : `, ${state}`}, ${bundle.level}, score ${bundle.score}</title>`,
    `<rect class="box" x="${x}" y="${y}" width="${width}" height="${height}" rx="8"/>`,
    `<rect class="stripe" x="${column === 'right' ? x + width - 8 : x + 3}" y="${y + 4}" width="5" height="${height - 8}" rx="2"/>`,
    `<text class="name" x="${x + 14}" y="${y + 20}">${html(bundle.manifest?.displayName ?? bundle.id, NAME_FITS)}</text>`,
    `<text class="kind" x="${x + 14}" y="${y + 38}">${CLASS_WORDS[shown]}${state === '' ? '' : ` · ${state}`}</text>`,
    `<text class="level sev-${bundle.level}" x="${x + 14}" y="${y + 56}">${bundle.level === 'none' ? 'clean' : bundle.level} · score ${bundle.score}</text>`,
  ];
  for (const [index, tool] of tools.entries()) {
    const rowY = y + HEADER + index * ROW;
    lines.push(
      `<rect class="tool-row" x="${x + 10}" y="${rowY + 2}" width="${width - 20}" height="${ROW - 4}" rx="4"/>`,
      `<text class="tool" x="${x + 16}" y="${rowY + 15}">${html(tool.name, TOOL_FITS)}</text>`,
      `<text class="role" x="${x + width - 16}" y="${rowY + 15}">${[tool.reads ? 'reads' : '', tool.acts ? 'acts' : ''].filter(Boolean).join(', ')}</text>`,
    );
  }
  lines.push('</g></a>');
  return lines.join('\n');
}

/** What Claude Desktop's own files say of an installed extension; nothing for a bundle on disk. */
export function stateWords(bundle: BundleReport): string {
  const installation = bundle.installation;
  if (installation === undefined) return '';
  if (installation.kind === 'configured-server') return 'configured by hand';
  return installation.enabled ? 'enabled' : 'disabled';
}

/** One arrowhead per severity drawn, filled in its colour. */
function markers(severities: readonly Severity[]): string {
  const used = SEVERITIES.filter((severity) => severities.includes(severity));
  if (used.length === 0) return '';
  return `<defs>${used
    .map(
      (severity) =>
        `<marker id="arrow-${severity}" class="sev-${severity}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker>`,
    )
    .join('')}</defs>`;
}

/** What the picture's marks mean: the classes drawn, the dashed box when one is disabled, the arrows' colours, and how many chains are drawn when not all. */
function legend(classes: readonly ShownClass[], disabled: boolean, severities: readonly Severity[], chains: number): string {
  const items = [
    ...classes.map((name) => `<span class="swatch class-${name}"></span>${CLASS_WORDS[name]}`),
    ...(disabled ? ['<span class="swatch disabled"></span>disabled: never part of a chain'] : []),
    ...[...SEVERITIES].reverse().filter((severity) => severities.includes(severity)).map((severity) => `<span class="line sev-${severity}"></span>${severity} chain`),
    ...(chains > MAX_DRAWN ? [`the ${MAX_DRAWN} worst of ${chains} chains are drawn; the list below names them all`] : []),
  ];
  return `<figcaption class="legend">${items.map((item) => `<span>${item}</span>`).join('')}</figcaption>`;
}

function chainList(bundles: readonly GraphBundle[], combinations: readonly Combination[], endpoints: ReadonlyArray<{ from: number | null; to: number | null }>, disabled: boolean): string {
  if (combinations.length === 0) {
    return `<p class="chains-none">No chain across these extensions.${disabled ? ' Disabled extensions are never paired: enabling one may make a chain.' : ''}</p>`;
  }
  const end = (holder: number | null, side: Combination['source'] | Combination['sink']) => {
    const name = holder === null ? html(side.bundle, 80) : `<a href="#${bundles[holder]!.anchor}">${html(bundleName(bundles[holder]!.bundle), 80)}</a>`;
    return `<b>${name}</b>${side.tool === undefined ? '' : ` <code>${html(side.tool, 80)}</code>`}`;
  };
  const items = combinations.map(
    (combination, index) =>
      `<li><span class="badge sev-${combination.severity}">${combination.severity}</span> ${end(endpoints[index]!.from, combination.source)} → ${end(endpoints[index]!.to, combination.sink)}` +
      `${combination.baselineState === 'new' ? ' <span class="new">new</span>' : ''}<br><span class="message">${html(combination.message, 600)}</span></li>`,
  );
  return `<ol class="chains">\n${items.join('\n')}\n</ol>`;
}
