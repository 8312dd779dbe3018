// Import discovery's output format, shared by the extractor and the module graph.

/** One import, require or dynamic import found in a module, where it appears in the source. */
export interface ImportRef {
  /** The literal specifier, or null when it is computed (`require(name)`) and cannot be followed. */
  specifier: string | null;
  kind: 'import' | 'require' | 'dynamic-import';
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}
