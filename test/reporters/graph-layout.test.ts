import { describe, expect, it } from 'vitest';
import { HEADER, LABEL, layoutGraph, NODE_WIDTH, ROW, WIDTH, type Box, type GraphLayout } from '../../src/reporters/graph-layout.js';

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The four points of an arrow's path: start, two control points, end. */
function pointsOf(layout: GraphLayout, edge: number): Array<{ x: number; y: number }> {
  const numbers = /^M(-?\d+) (-?\d+)C(-?\d+) (-?\d+) (-?\d+) (-?\d+) (-?\d+) (-?\d+)$/.exec(layout.edges[edge]!.path)!.slice(1).map(Number);
  return [0, 2, 4, 6].map((index) => ({ x: numbers[index]!, y: numbers[index + 1]! }));
}

describe('graph layout', () => {
  it('stacks each column in the order given, beside a lane, with no two boxes overlapping', () => {
    const layout = layoutGraph(
      [
        { column: 'left', rows: 2 },
        { column: 'right', rows: 0 },
        { column: 'left', rows: 0 },
        { column: 'right', rows: 1 },
        { column: 'below', rows: 0 },
      ],
      [],
    );
    const [a, b, c, d, e] = layout.nodes as [Box, Box, Box, Box, Box];
    expect([a.x, c.x]).toEqual([16, 16]);
    expect([b.x + b.width, d.x + d.width]).toEqual([WIDTH - 16, WIDTH - 16]);
    expect(c.y).toBeGreaterThan(a.y + a.height);
    expect(d.y).toBeGreaterThan(b.y + b.height);
    expect([a.height, b.height, d.height]).toEqual([HEADER + 2 * ROW + 6, HEADER, HEADER + ROW + 6]);
    expect(layout.lane).toEqual({ x: 16 + NODE_WIDTH, y: a.y - 6, width: WIDTH - 2 * (16 + NODE_WIDTH), height: c.y + c.height - a.y + 12 });
    // What no arrow reaches goes under everything else, under its own heading.
    expect(layout.belowHeading).toBeGreaterThan(Math.max(c.y + c.height, d.y + d.height));
    expect(e.y).toBeGreaterThan(layout.belowHeading!);
    for (const [index, box] of layout.nodes.entries()) for (const other of layout.nodes.slice(index + 1)) expect(overlap(box, other)).toBe(false);
    expect(layout.height).toBeGreaterThanOrEqual(e.y + e.height);
  });

  it('lays the boxes no arrow reaches three to a row', () => {
    const layout = layoutGraph(Array.from({ length: 4 }, () => ({ column: 'below' as const, rows: 0 })), []);
    expect(layout.lane).toBeNull();
    expect(layout.nodes.map((box) => box.x)).toEqual([16, 350, 684, 16]);
    expect(layout.nodes[3]!.y).toBeGreaterThan(layout.nodes[0]!.y + HEADER);
    expect(layout.nodes[2]!.x + NODE_WIDTH).toBe(WIDTH - 16);
  });

  it('draws an arrow across the lane from the tool row of one box to the tool row of the other', () => {
    const layout = layoutGraph(
      [
        { column: 'left', rows: 2 },
        { column: 'right', rows: 1 },
      ],
      [{ from: { node: 0, row: 1 }, to: { node: 1, row: 0 } }],
    );
    const [left, right] = layout.nodes as [Box, Box];
    const [start, c1, c2, end] = pointsOf(layout, 0);
    expect(start).toEqual({ x: left.x + left.width, y: left.y + HEADER + ROW + ROW / 2 });
    expect(end).toEqual({ x: right.x, y: right.y + HEADER + ROW / 2 });
    // Leaving and entering level, bending halfway across.
    expect(c1).toEqual({ x: (start!.x + end!.x) / 2, y: start!.y });
    expect(c2).toEqual({ x: (start!.x + end!.x) / 2, y: end!.y });
    expect(layout.edges[0]!.label).toEqual({ x: (start!.x + end!.x) / 2, y: Math.round((start!.y + end!.y) / 2) });
  });

  it('points an arrow at the header when the chain names no tool, and loops into the lane between two boxes of one column', () => {
    const layout = layoutGraph(
      [
        { column: 'right', rows: 0 },
        { column: 'right', rows: 0 },
      ],
      [{ from: { node: 0, row: null }, to: { node: 1, row: null } }],
    );
    const [first, second] = layout.nodes as [Box, Box];
    const [start, c1, c2, end] = pointsOf(layout, 0);
    expect(start).toEqual({ x: first.x, y: first.y + HEADER / 2 });
    expect(end).toEqual({ x: second.x, y: second.y + HEADER / 2 });
    expect(c1!.x).toBeLessThan(first.x);
    expect(c2!.x).toBe(c1!.x);
    expect(layout.edges[0]!.label.x).toBeLessThan(first.x);
  });

  it('keeps labels of arrows that cross at one point from covering each other', () => {
    const layout = layoutGraph(
      [
        { column: 'left', rows: 1 },
        { column: 'left', rows: 1 },
        { column: 'right', rows: 1 },
        { column: 'right', rows: 1 },
      ],
      [
        { from: { node: 0, row: 0 }, to: { node: 3, row: 0 } },
        { from: { node: 1, row: 0 }, to: { node: 2, row: 0 } },
      ],
    );
    const [a, b] = layout.edges.map((edge) => edge.label) as [{ x: number; y: number }, { x: number; y: number }];
    expect(a.x).toBe(b.x);
    expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(LABEL.height);
  });

  it('gives whole numbers only, the same each time', () => {
    const shapes = [
      { column: 'left' as const, rows: 3 },
      { column: 'right' as const, rows: 1 },
    ];
    const edges = [{ from: { node: 0, row: 2 }, to: { node: 1, row: 0 } }];
    const layout = layoutGraph(shapes, edges);
    expect(JSON.stringify(layout)).not.toMatch(/\d\.\d/);
    expect(layoutGraph(shapes, edges)).toEqual(layout);
  });
});
