/// The explorer's style sheet.
enum ExplorerStyle {
    static let sheet = #"""
:root { --ink: #1d1d1f; --muted: #6b6b73; --line: #dcdce2; --accent: #c2410c; --polw: #b91c1c; --bg: #fbfbfd; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; gap: 1.5em; align-items: center; padding: .6em 1.2em; background: #fff; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header .brand { font-weight: 700; color: var(--accent); text-decoration: none; font-size: 1.1em; }
header nav a { margin-right: 1em; }
#search { margin-left: auto; }
main, #status { padding: .6em 1.2em; }
#status dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(6em, 1fr) minmax(9em, 2fr)); gap: .3em 1.2em; margin: 0; }
#status dt { color: var(--muted); font-size: .85em; }
#status dd { margin: 0 0 .3em; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
h1 { font-size: 1.3em; margin: .4em 0; } h2 { font-size: 1.1em; margin: 1em 0 .4em; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .3em .6em; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; }
th { color: var(--muted); font-weight: 600; font-size: .85em; }
td.hash, .hash { font-family: ui-monospace, monospace; font-size: .9em; overflow-wrap: anywhere; }
tr.polw td:first-child { border-left: 3px solid var(--polw); }
.badge { display: inline-block; padding: 0 .45em; border-radius: .6em; font-size: .8em; font-weight: 700; }
.badge.polw { background: var(--polw); color: #fff; }
.badge.pow { background: var(--line); color: var(--ink); }
.badge.spent { background: var(--line); color: var(--muted); }
.badge.unspent { background: #15803d; color: #fff; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(20em, 1fr)); gap: 1em; }
figure.chart { margin: 0; background: #fff; border: 1px solid var(--line); padding: .4em; }
figure.chart figcaption { font-weight: 600; font-size: .9em; }
figure.chart svg { width: 100%; height: auto; display: block; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .series { fill: none; stroke: var(--accent); stroke-width: 1.5; }
svg circle.polw { fill: var(--polw); }
svg text { font-size: 9px; fill: var(--muted); }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
dl.fields dt { color: var(--muted); } dl.fields dd { margin: 0; overflow-wrap: anywhere; }
.notice { color: var(--muted); }
#errors { color: var(--polw); }
footer { padding: 1em 1.2em; color: var(--muted); font-size: .85em; }
.tabs a { margin-right: .8em; } .tabs a.current { font-weight: 700; }
"""#
}
