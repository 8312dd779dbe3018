// The benchmark's Python bundles. PyPI is out of reach from the benchmark machine, so the installed
// dependencies come from Debian bookworm's packages of the same projects (pinned to exact versions and
// checked by SHA-256 when downloaded): their /usr/lib/python3/dist-packages is what
// `pip install --target server/lib` would have put in server/lib, give or take Debian's patches. The
// server is a fixture of this repository, and the MCP SDK, which Debian does not package, is a
// stand-in written for the benchmark (scripts/bench/python/mcp) that imports what the SDK imports.

export interface DebianPackage {
  name: string;
  version: string;
  /** Of the .deb file, checked after download. */
  sha256: string;
}

export interface PythonCorpusEntry {
  language: 'python';
  /** Bundle file name and `--only` key; must be the manifest's name and version. */
  name: string;
  version: string;
  /** A folder of this repository holding manifest.json and server/, copied as is. */
  source: string;
  /**
   * Unpacked into server/lib, in this order. Most are `Architecture: all`; those with compiled modules
   * (python3-yaml, python3-pyrsistent) are pinned for amd64, so elsewhere their checksum check fails.
   */
  debs: readonly DebianPackage[];
  /** Folders of this repository copied into server/lib, for packages Debian does not have. */
  standIns: readonly string[];
  /** Dependencies of the packages above left out, and why. */
  leftOut: string;
}

export const PYTHON_CORPUS: readonly PythonCorpusEntry[] = [
  {
    language: 'python',
    name: 'notes-server',
    version: '0.4.1',
    source: 'fixtures/examples/notes-server',
    // What the MCP SDK 1.x requires (anyio, httpx, jsonschema, pydantic, python-multipart, starlette,
    // uvicorn) and what those require in turn, plus requests and PyYAML, which many servers add.
    debs: [
      { name: 'python3-anyio', version: '3.6.2-1', sha256: '4dce2997013f806ee5243578e560323b05494a3c571e3ea7aeba0d97afe79734' },
      { name: 'python3-asgiref', version: '3.6.0-1', sha256: '5c7835a18144105fc24172c2fb27a2d2e0b10d80df7bf9615664cefc8b065258' },
      { name: 'python3-attr', version: '22.2.0-1', sha256: '6a12ea96a8a909445a982975279f96d7b9a1ff96c912efff39abc8d92372694a' },
      { name: 'python3-certifi', version: '2022.9.24-1', sha256: '121abb6d0af69b57ce7202be38b2db9150e5d627bbaab6c17fe10650d2ced4fc' },
      { name: 'python3-chardet', version: '5.1.0+dfsg-2', sha256: '271227b4ca709db673d8bff58b64f4a590ab17b50a9616d49aacc459bbd05f85' },
      { name: 'python3-charset-normalizer', version: '3.0.1-2', sha256: 'f547a25ac5349111ef4ea0c54654cf72fed48193eaf1c658f9309aff3715cd38' },
      { name: 'python3-click', version: '8.1.3-2', sha256: 'c3af7e231d711f7fdb9a2fac4954061fe423ea517279bc30bf95a0920738279b' },
      { name: 'python3-h11', version: '0.14.0-1.1~deb12u1', sha256: '012dd72786502a88b44c66a9c6e4ad3b4fdc26ec045193f565aac60295a3ca95' },
      { name: 'python3-httpcore', version: '0.16.3-1', sha256: '0a07fd432bceac293e5f9787d6b6164ed003438d1887b69936db6efa29be5880' },
      { name: 'python3-httpx', version: '0.23.3-1', sha256: '0df52e319bc11e77d2b9ff6b40824f4af4169ca0ec613ee541f65893222d6645' },
      { name: 'python3-idna', version: '3.3-1+deb12u1', sha256: '0bf81fb1906d3aa607482d09aa3bcbab5c263242b1fd1d93be39658fa783af1a' },
      { name: 'python3-jsonschema', version: '4.10.3-1', sha256: 'b972212ff557ba07138b4aa7b7e2eb227260eb3fe3fac8e699a0e4b006b0ebc3' },
      { name: 'python3-multipart', version: '0.0.5-3', sha256: 'cf1e10410bcb6bb8b41b339e9fe8a823088216715deff745f3e63c2a079b4451' },
      { name: 'python3-pydantic', version: '1.10.4-1+deb12u1', sha256: '2ba47d9f8a87c59b1aa031677ed855add1bb64fbde42aa41a740f426201b88c1' },
      { name: 'python3-pyrsistent', version: '0.18.1-1+b3', sha256: 'da9ab57e7889af9d077bbcf50fd7f3f29beb6e8f29b2d828324e971d34d463b3' },
      { name: 'python3-requests', version: '2.28.1+dfsg-1', sha256: 'c75b5c05d8d4a813bd83c3d432ffe65a2ca13e771bc91d4b9787690097598603' },
      { name: 'python3-rfc3986', version: '1.5.0-2', sha256: '45f369de2e8f55b8b28a4a4a2e0f7283a98218a9319cb3cc3114865513b6e7ef' },
      { name: 'python3-six', version: '1.16.0-4', sha256: 'fd189e9cecbcf17a1fc20aec30055c8afa9c1eec00cd6e7ab385087a2ab3b0d3' },
      { name: 'python3-sniffio', version: '1.2.0-1', sha256: 'd676bccd211f3e521154a12fb9a8fd588624633bf529039e5f27027f40e75cde' },
      { name: 'python3-starlette', version: '0.26.1-1+deb12u1', sha256: '1d7313b71a127ab559305678c56753af317785da232654a65186c8c90c3b2c15' },
      { name: 'python3-typing-extensions', version: '4.4.0-1', sha256: 'e2f88fe73b6dac2907b29d709647eb66302776f7693f45b1e95e116ddedbddd3' },
      { name: 'python3-urllib3', version: '1.26.12-1+deb12u4', sha256: '9dd6fef10317e437f2195cb5ea8b38d8e39e02106c5fda7b16d58b4bb9a85886' },
      { name: 'python3-uvicorn', version: '0.17.6-1', sha256: 'e75cc6d39c5e4498cde2d435e2b1e8905ee241fe84420be355a7f4266db5318c' },
      { name: 'python3-wsproto', version: '1.2.0-1', sha256: '406fa84febe56fef24d05722c965f39ebccca47bb9df7c55206e67f59b474a3f' },
      { name: 'python3-yaml', version: '6.0-3+b2', sha256: '8d0db0b3099298fe039b94e4c52a6987798a90d23b80de3ac13c3cb75cf622a2' },
    ],
    standIns: ['scripts/bench/python/mcp'],
    leftOut:
      "httpx's command-line extras (python3-pygments, python3-rich), which pip installs only with httpx[cli]; " +
      "chardet's python3-pkg-resources; click's python3-colorama (Windows only)",
  },
];
