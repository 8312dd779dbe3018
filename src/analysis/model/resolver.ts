// What a language's import resolution answers, whatever the language: js/resolve.ts follows Node's
// rules, python/resolve.ts Python's. The module graph and reachability only see this shape.

export type ResolveKind = 'import' | 'require';

export type Resolution = { kind: 'file'; path: string } | { kind: 'builtin'; name: string } | { kind: 'missing' };

export type Resolver = (fromFile: string, specifier: string, kind: ResolveKind) => Resolution;
