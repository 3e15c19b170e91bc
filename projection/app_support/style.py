"""The app's CSS: token lines, entity chips, badges. Injected once per page run."""

APP_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.5rem; }
.pj-sent { margin: 0.15rem 0 0.6rem 0; }
.pj-cap { font-size: 0.72rem; letter-spacing: 0.06em; text-transform: uppercase; color: #6b6f76;
  margin-bottom: 0.15rem; font-weight: 600; }
.pj-line { line-height: 2.35; font-size: 1.02rem; }
.pj-line.pj-faded { opacity: 0.75; font-size: 0.92rem; }
.pj-tok { white-space: pre; }
.pj-i { font-size: 0.6rem; color: #8a9098; font-variant-numeric: tabular-nums; margin-left: 1px; }
.pj-ent { white-space: nowrap; background: var(--pj-bg); border-bottom: 2px solid var(--pj-c); border-radius: 0.35rem;
  padding: 0.12rem 0.3rem; margin: 0 0.05rem; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.pj-lbl { font-size: 0.62rem; font-weight: 700; color: var(--pj-c); margin-left: 0.3rem; letter-spacing: 0.04em;
  vertical-align: middle; }
.pj-diff { outline: 2px dashed var(--pj-c); outline-offset: 1px; }
.pj-k-correct .pj-lbl::after { content: " ✓"; color: #2e7d32; }
.pj-k-spurious, .pj-k-wrong_label, .pj-k-boundary, .pj-k-boundary_label { background-image:
  repeating-linear-gradient(135deg, transparent 0 6px, rgba(0,0,0,0.05) 6px 8px); }
.pj-k-spurious .pj-lbl::after, .pj-k-wrong_label .pj-lbl::after, .pj-k-boundary .pj-lbl::after,
.pj-k-boundary_label .pj-lbl::after { content: " ✗"; color: #b3261e; }
.pj-k-missed, .pj-gold { background: transparent; border: 1.5px dashed var(--pj-c); border-bottom-width: 1.5px; }
.pj-gold .pj-lbl::after { content: " gold"; font-weight: 600; color: #6b6f76; }
.pj-legend { display: flex; gap: 0.35rem; flex-wrap: wrap; margin: 0.2rem 0 0.4rem 0; }
.pj-chip { background: var(--pj-bg); color: var(--pj-c); border: 1px solid var(--pj-c); border-radius: 1rem;
  padding: 0 0.55rem; font-size: 0.72rem; font-weight: 700; }
.pj-badge { display: inline-block; border-radius: 1rem; padding: 0.05rem 0.6rem; font-size: 0.75rem;
  font-weight: 600; margin-right: 0.35rem; background: #eef1f5; color: #3c4043; }
.pj-badge.pj-good { background: #e6f4ea; color: #1e6b34; }
.pj-badge.pj-bad { background: #fce8e6; color: #a50e0e; }
.pj-badge.pj-info { background: #e8f0fe; color: #1a4f9c; }
.pj-method { font-weight: 600; font-size: 0.85rem; }
.pj-table { border-collapse: collapse; width: 100%; font-size: 0.88rem; }
.pj-table th { text-align: left; font-weight: 600; color: #6b6f76; border-bottom: 1px solid #ddd8cc;
  padding: 0.3rem 0.5rem; }
.pj-table td { border-bottom: 1px solid #eeeae1; padding: 0.3rem 0.5rem; }
.pj-methods { display: grid; grid-template-columns: 12rem 1fr; column-gap: 1rem; }
.pj-mrow { display: contents; }
.pj-mrow > div { padding: 0.35rem 0; border-top: 1px solid #eeeae1; }
.pj-mrow > div:first-child { padding-top: 0.8rem; }
.pj-current > div:first-child { border-left: 3px solid #3b6ea8; padding-left: 0.4rem; }
.pj-muted { color: #6b6f76; font-size: 0.85rem; }
.pj-gained { outline: 2.5px solid var(--pj-c); outline-offset: 2px; }
.pj-lost { opacity: 0.6; text-decoration: line-through; outline: 2px dotted #b3261e; outline-offset: 2px; }
.pj-why { margin: 0; padding-left: 1.1rem; }
.pj-origins td { vertical-align: top; }
.pj-suspect { outline: 2px solid #b3261e; outline-offset: 1px; }
.pj-pending { outline: 1.5px dashed var(--pj-c); outline-offset: 1px; }
.pj-accepted .pj-lbl::after { content: " ✓"; color: #2e7d32; }
.pj-note { background: #f4f7fb; border-left: 3px solid #3b6ea8; padding: 0.5rem 0.8rem; font-size: 0.9rem; }
</style>
"""
