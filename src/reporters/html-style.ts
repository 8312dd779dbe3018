import { createHash } from 'node:crypto';

// The HTML report's one stylesheet, and the Content-Security-Policy that lets only it apply: the page
// runs no script and loads nothing, so whatever bundle text got past escaping could neither run nor
// fetch. Colours come from classes (`sev-*` for severities, `class-*` for connector classes) as custom
// properties, since the policy allows no style attribute.

export const STYLE = `
:root{color-scheme:light;--ink:#1f2328;--muted:#59636e;--line:#d0d7de;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;background:#eef0f3;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:24px 16px 48px}
h1,h2,h3{line-height:1.25;margin:0}
h2{font-size:20px}
h3{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin-bottom:6px}
a{color:inherit}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:13px}
code{background:var(--soft);border:1px solid #e5e7eb;border-radius:4px;padding:0 4px;overflow-wrap:anywhere}
.sev-critical{--sev:#b42318}.sev-high{--sev:#d9480f}.sev-medium{--sev:#a16207}.sev-low{--sev:#1d64c8}.sev-info{--sev:#6b7280}.sev-none{--sev:#2f7d32}
.class-retrieval{--cls:#0f766e}.class-transformation{--cls:#64748b}.class-execution{--cls:#7c3aed}.class-none,.class-unknown{--cls:#a8a29e}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;background:var(--sev);color:#fff;font-size:12px;font-weight:700;letter-spacing:.03em;text-transform:uppercase;vertical-align:middle}
.new{display:inline-block;border-radius:4px;padding:0 6px;background:#fff4ce;border:1px solid #d4a72c;font-size:12px;font-weight:700}
.verdict{background:#fff;border:1px solid var(--line);border-left:10px solid var(--sev);border-radius:10px;padding:18px 22px}
.verdict h1{font-size:26px;color:var(--sev)}
.verdict .line{margin:6px 0 10px;font-size:16px}
.verdict .baseline{color:var(--muted);font-size:13px;margin:10px 0 0}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0;list-style:none}
.counts li{border:1px solid var(--line);border-radius:8px;padding:4px 12px;background:var(--soft);font-size:14px}
.counts b{font-size:18px;color:var(--sev)}
.counts .zero{color:var(--muted)}.counts .zero b{color:var(--muted)}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin-top:20px}
section>h2{margin-bottom:12px}
.connectors{margin:0}
svg.graph{display:block;width:100%;height:auto;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.graph .heading{font-size:13px;font-weight:700;fill:var(--muted)}
.graph .end{text-anchor:end}
.graph .lane{fill:#f5f3ff;stroke:#c4b5fd;stroke-width:1.5;stroke-dasharray:6 5}
.graph .lane-heading{text-anchor:middle;fill:#6d28d9}
.graph .box{fill:#fff;stroke:#8c959f;stroke-width:1.5}
.graph .stripe{fill:var(--cls)}
.graph .name{font-size:14px;font-weight:700;fill:var(--ink)}
.graph .kind{font-size:12px;font-weight:600;fill:var(--cls)}
.graph .level{font-size:12px;font-weight:700;fill:var(--sev)}
.graph .tool-row{fill:var(--soft);stroke:#e5e7eb}
.graph .tool{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;fill:var(--ink)}
.graph .role{font-size:11px;text-anchor:end;fill:var(--muted)}
.graph .disabled .box{fill:#f3f4f6;stroke-dasharray:5 4}
.graph .disabled text{fill:#8c959f}
.graph a:hover .box,.graph a:focus .box{stroke:var(--ink);stroke-width:2.5}
.graph .edge{fill:none;stroke:var(--sev);stroke-width:2.5}
.graph marker path{fill:var(--sev)}
.graph .edge-label rect{fill:#fff;stroke:var(--sev);stroke-width:1.5}
.graph .edge-label text{font-size:11px;font-weight:800;text-anchor:middle;fill:var(--sev)}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:10px;color:var(--muted);font-size:13px}
.legend span{display:inline-flex;align-items:center;gap:6px}
.legend .swatch{width:12px;height:12px;border-radius:3px;background:var(--cls)}
.legend .swatch.disabled{background:#f3f4f6;border:1.5px dashed #8c959f}
.legend .line{width:22px;height:3px;border-radius:2px;background:var(--sev)}
.chains{margin:14px 0 0;padding-left:24px}
.chains li{margin:8px 0}
.chains .message,.chains-none{color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:13px}
.num{text-align:right;font-variant-numeric:tabular-nums}
.extension>header{display:flex;flex-wrap:wrap;align-items:baseline;gap:8px 12px}
.extension .version{color:var(--muted);font-weight:400;font-size:16px}
.extension .score{font-weight:700;font-size:15px}
.facts{color:var(--muted);font-size:13px;margin:6px 0 12px;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px;margin-bottom:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--soft)}
.card ul{margin:0;padding-left:18px}
.card p{margin:0}
.card .signer{color:var(--muted);font-size:13px;margin-top:4px;overflow-wrap:anywhere}
.incomplete{border:1px solid #f5c2c0;background:#fdecea;border-radius:8px;padding:10px 14px;margin-bottom:12px}
.incomplete ul{margin:4px 0 0;padding-left:18px}
details.group{border-top:1px solid #e5e7eb;padding:6px 0}
details.group>summary{cursor:pointer;font-weight:600;padding:4px 0}
.findings{list-style:none;margin:0;padding:0}
.finding{border-left:4px solid var(--sev);background:#fff;margin:8px 0;padding:6px 12px}
.finding p{margin:2px 0}
.finding .message{font-weight:600}
.finding .where{color:var(--muted);font-size:13px;overflow-wrap:anywhere}
.finding pre{margin:4px 0;padding:6px 8px;background:var(--soft);border:1px solid #e5e7eb;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere}
.finding .fix{font-size:14px}
.finding .fix b{color:#2f7d32}
.finding .fix code{white-space:nowrap}
.clean{color:var(--sev)}
.notes{color:var(--muted);font-size:14px}
.notes ul{margin:4px 0;padding-left:18px}
footer{color:var(--muted);font-size:13px;margin-top:24px;text-align:center}
`.trim();

/** The policy: nothing may load or run; the one stylesheet above applies, by its hash. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'`;
