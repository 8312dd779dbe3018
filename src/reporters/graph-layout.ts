// Where the connector graph's boxes and arrows go: geometry only, no text and no markup.
//
// Extensions in one scan are few (a folder of downloads, one Claude Desktop's installed set), and
// the picture has one story, so a fixed layout reads better than a general one: extensions that
// bring outside content in on the left, extensions that act on the right, the model in the lane
// between them, and each chain an arrow across that lane from the reading tool to the acting tool.
// A graph-layout library would bring a general algorithm (layers, crossing reduction) for a
// two-column picture, and with it code to inline into the page or ship; this is a few stacks of
// boxes and one Bézier curve per arrow, integer coordinates only, so the same input gives the same bytes.

/** `left` and `right` stack beside the lane; `below` is a grid under both, for what no arrow reaches. */
export type Column = 'left' | 'right' | 'below';

export interface NodeShape {
  column: Column;
  /** Rows under the header: one per tool an arrow starts or ends at. */
  rows: number;
}

/** Where an arrow ends: a node's tool row, or its header (`row: null`) when the chain names no tool. */
export interface Port {
  node: number;
  row: number | null;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** One per node, in the order given. */
  nodes: Box[];
  /** One per edge, in the order given: the SVG path data of the arrow, and where its label is centred. */
  edges: Array<{ path: string; label: Point }>;
  /** The lane between the columns, where the model sits; null when nothing stands beside it. */
  lane: Box | null;
  /** The baseline of the heading over the `below` grid; null when it is empty. */
  belowHeading: number | null;
}

export const WIDTH = 960;
export const NODE_WIDTH = 260;
/** Three lines: the name, the class and state, the level and score. */
export const HEADER = 66;
export const ROW = 22;
/** The size a label takes, to keep two labels from covering each other. */
export const LABEL = { width: 96, height: 18 } as const;

const MARGIN = 16;
/** Room over the columns for their headings. */
const TOP = 34;
const GAP = 14;
const ROWS_PADDING = 6;
const BELOW_COLUMNS = 3;

export function layoutGraph(shapes: readonly NodeShape[], edges: ReadonlyArray<{ from: Port; to: Port }>): GraphLayout {
  const nodes: Box[] = shapes.map(() => ({ x: 0, y: 0, width: NODE_WIDTH, height: 0 }));
  const inColumn = (column: Column) => shapes.flatMap((shape, index) => (shape.column === column ? [index] : []));
  const beside = [...inColumn('left'), ...inColumn('right')];
  let bottom = 0;
  for (const [column, x] of [
    ['left', MARGIN],
    ['right', WIDTH - MARGIN - NODE_WIDTH],
  ] as const) {
    let y = TOP;
    for (const index of inColumn(column)) {
      nodes[index] = { x, y, width: NODE_WIDTH, height: heightOf(shapes[index]!) };
      y += nodes[index]!.height + GAP;
    }
    bottom = Math.max(bottom, y - GAP);
  }
  const lane = beside.length === 0 ? null : { x: MARGIN + NODE_WIDTH, y: TOP - 6, width: WIDTH - 2 * (MARGIN + NODE_WIDTH), height: bottom - TOP + 12 };

  const arrows = edges.map(({ from, to }) => arrow(portPoint(nodes[from.node]!, shapes[from.node]!, from.row), portPoint(nodes[to.node]!, shapes[to.node]!, to.row)));
  const labels = separated(arrows.map((entry) => entry.label));
  let height = Math.max(bottom, ...labels.map((label) => label.y + LABEL.height / 2)) + MARGIN;

  const below = inColumn('below');
  const belowHeading = below.length === 0 ? null : (beside.length === 0 ? 0 : height) + 20;
  if (belowHeading !== null) {
    const spacing = (WIDTH - 2 * MARGIN - BELOW_COLUMNS * NODE_WIDTH) / (BELOW_COLUMNS - 1);
    for (const [position, index] of below.entries()) {
      const column = position % BELOW_COLUMNS;
      const line = Math.floor(position / BELOW_COLUMNS);
      nodes[index] = { x: Math.round(MARGIN + column * (NODE_WIDTH + spacing)), y: belowHeading + 12 + line * (HEADER + GAP), width: NODE_WIDTH, height: HEADER };
    }
    height = belowHeading + 12 + Math.ceil(below.length / BELOW_COLUMNS) * (HEADER + GAP) - GAP + MARGIN;
  }
  return { width: WIDTH, height, nodes, edges: arrows.map((entry, index) => ({ path: entry.path, label: labels[index]! })), lane, belowHeading };
}

function heightOf(shape: NodeShape): number {
  return HEADER + (shape.rows > 0 ? shape.rows * ROW + ROWS_PADDING : 0);
}

/** The middle of a tool's row (or of the header) on the side of the box that faces the lane. */
function portPoint(box: Box, shape: NodeShape, row: number | null): Point & { towardLane: 1 | -1 } {
  const towardLane = shape.column === 'right' ? -1 : 1;
  return {
    x: towardLane === 1 ? box.x + box.width : box.x,
    y: row === null ? box.y + HEADER / 2 : box.y + HEADER + row * ROW + ROW / 2,
    towardLane,
  };
}

/**
 * A cubic Bézier leaving each end at right angles to its box, into the lane: an S across the lane
 * between the columns, a loop out and back when both ends are in one column (farther out the
 * farther apart they are, so nested loops stay apart).
 */
function arrow(from: Point & { towardLane: number }, to: Point & { towardLane: number }): { path: string; label: Point } {
  const reach = from.towardLane !== to.towardLane ? Math.abs(to.x - from.x) / 2 : 48 + Math.min(Math.abs(to.y - from.y) / 3, 120);
  const c1 = { x: Math.round(from.x + from.towardLane * reach), y: from.y };
  const c2 = { x: Math.round(to.x + to.towardLane * reach), y: to.y };
  // The curve's own midpoint, B(1/2).
  const label = { x: Math.round((from.x + 3 * c1.x + 3 * c2.x + to.x) / 8), y: Math.round((from.y + 3 * c1.y + 3 * c2.y + to.y) / 8) };
  return { path: `M${from.x} ${from.y}C${c1.x} ${c1.y} ${c2.x} ${c2.y} ${to.x} ${to.y}`, label };
}

/** Labels moved down, in order, until none covers one placed before it. */
function separated(points: readonly Point[]): Point[] {
  const placed: Point[] = [];
  for (const point of points) {
    let y = point.y;
    while (placed.some((other) => Math.abs(other.x - point.x) < LABEL.width && Math.abs(other.y - y) < LABEL.height)) y += LABEL.height;
    placed.push({ x: point.x, y });
  }
  return placed;
}
