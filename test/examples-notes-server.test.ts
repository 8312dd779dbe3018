import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCode } from '../src/analysis/analyze.js';
import type { CallSite, CodeFacts } from '../src/analysis/model/code-facts.js';
import { loadPythonParser } from '../src/analysis/python/parse.js';
import { describeServer } from '../src/analysis/server.js';
import { readDirectory } from '../src/bundle/directory.js';
import { DEFAULT_LIMITS } from '../src/bundle/limits.js';
import type { BundleReport } from '../src/report.js';
import { repoPath, scanFixture } from './helpers/fixtures.js';

// fixtures/examples/notes-server: a realistic FastMCP server in a package of several modules, whose
// tools read files confined to the configured folder, call an HTTPS API with httpx and run git with
// an argument list. A clean server must come out clean, and for the right reasons: its tools found
// where they are registered, its calls reached through the modules that make them.
const FOLDER = 'fixtures/examples/notes-server';
const TOOLS = ['list_notes', 'read_note', 'search_notes', 'recent_changes', 'define_word'];

describe('the notes-server example (Python)', () => {
  let bundle: BundleReport;
  let code: CodeFacts;
  beforeAll(async () => {
    bundle = await scanFixture(FOLDER);
    const parser = await loadPythonParser();
    const read = await readDirectory(repoPath(FOLDER), DEFAULT_LIMITS);
    const files = new Map(read.files.map((file) => [file.path, file]));
    const server = describeServer(JSON.parse(readFileSync(repoPath(`${FOLDER}/manifest.json`), 'utf8')), files);
    code = analyzeCode(server, files, new Map(), parser);
  });

  const callsTo = (callee: string, file: string): CallSite[] => code.calls.filter((call) => call.callee === callee && call.file === file);

  it('reports nothing above low, and that recent_changes runs a constant git command at low', () => {
    expect(bundle.complete).toBe(true);
    const serious = bundle.findings.filter((finding) => ['critical', 'high', 'medium'].includes(finding.severity));
    expect(serious).toEqual([]);
    // Running a program is a capability code-shell-exec always names; a constant git command says
    // nothing alarming (low), and no tool input reaches it, so it is neither argument injection
    // (high) nor a shell command (critical).
    const [git, ...others] = bundle.findings.filter((finding) => finding.ruleId === 'code-shell-exec');
    expect(others).toEqual([]);
    expect(git).toMatchObject({
      severity: 'low',
      tool: 'recent_changes',
      trigger: { kind: 'tool', name: 'recent_changes' },
      origin: 'first-party',
      location: { file: 'server/notes_server/history.py', line: 35, column: 21 },
      message: 'subprocess.run() runs "git -C … log … --date=short --no-color --pretty=format:%h%x1f%ad%x1f%an%x1f%s" in tool "recent_changes".',
    });
    expect(bundle.capabilities).toContain('shell');
  });

  it('follows the package from the entry script through relative imports, and leaves the unshipped SDK alone', () => {
    expect(code.reachable).toEqual([
      'server/main.py',
      'server/notes_server/__main__.py',
      'server/notes_server/config.py',
      'server/notes_server/tools.py',
      'server/notes_server/__init__.py',
      'server/notes_server/dictionary.py',
      'server/notes_server/history.py',
      'server/notes_server/storage.py',
    ]);
    expect(code.parseErrors).toEqual([]);
    expect(code.gaps).toEqual([]);
    expect(code.calls.every((call) => call.origin === 'first-party')).toBe(true);
  });

  it('finds every FastMCP tool where it is registered, with its docstring, as the manifest lists them', () => {
    expect(code.tools.map(({ name, file }) => ({ name, file }))).toEqual(TOOLS.map((name) => ({ name, file: 'server/notes_server/tools.py' })));
    expect(code.tools.find((tool) => tool.name === 'recent_changes')?.description).toBe('Show the last 20 commits of the notes folder, when it is a git repository.');
    const manifest = JSON.parse(readFileSync(repoPath(`${FOLDER}/manifest.json`), 'utf8')) as { tools: Array<{ name: string }> };
    expect(manifest.tools.map((tool) => tool.name)).toEqual(TOOLS);
  });

  it('attributes the git call to recent_changes only, with no tool input in it', () => {
    const [git, ...others] = callsTo('subprocess.run', 'server/notes_server/history.py');
    expect(others).toEqual([]);
    expect(git).toMatchObject({ tools: ['recent_changes'], taintedBy: [], triggers: [{ kind: 'tool', name: 'recent_changes' }] });
    expect(git!.args[0]!.elements?.slice(0, 4).map((element) => element.literal)).toEqual(['git', '-C', undefined, 'log']);
    // No shell: the options fact holds the constant keywords, and shell is not among them.
    expect(git!.args[1]!.properties).toMatchObject({ capture_output: true, text: true, check: false });
    expect(git!.args[1]!.properties).not.toHaveProperty('shell');
  });

  it('reaches the file reads through storage, with the path of read_note coming from its input', () => {
    const [readOne, readEach, ...others] = callsTo('builtins.open', 'server/notes_server/storage.py');
    expect(others).toEqual([]);
    expect(readOne).toMatchObject({ tools: ['read_note'], taintedBy: ['read_note'], taintedArgs: [0] });
    // search walks the notes itself: the query is compared with lines, never used as a path.
    expect(readEach).toMatchObject({ tools: ['search_notes'], taintedBy: [] });
    // The confinement check runs for every tool that takes a path.
    const [realpath] = callsTo('os.path.realpath', 'server/notes_server/storage.py');
    expect(realpath).toMatchObject({ tools: ['list_notes', 'read_note', 'search_notes'], taintedBy: ['list_notes', 'read_note'] });
  });

  it('reaches the HTTPS client from define_word, with the API host written in the request', () => {
    expect(callsTo('httpx.AsyncClient', 'server/notes_server/dictionary.py')).toMatchObject([{ tools: ['define_word'] }]);
    expect(code.strings.map(({ kind, value, tools }) => ({ kind, value, tools }))).toEqual([
      { kind: 'url', value: 'https://api.dictionaryapi.dev/api/v2/entries/en/', tools: ['define_word'] },
    ]);
  });
});
