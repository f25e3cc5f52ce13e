/**
 * The report's stylesheet, inlined into the page: system fonts only, nothing fetched.
 */

/** CSS of the HTML report; status colours are shared by the graph, the timeline and the tables. */
export const STYLE = `
:root { --ok:#2e9d57; --bad:#d64545; --warn:#d99a1e; --run:#2f7fd8; --idle:#9aa3ad; --ink:#1d2329; --line:#d5dae0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fafbfc; margin: 0; padding: 20px 28px; }
h1 { font-size: 22px; margin: 0 0 12px; } h2 { font-size: 17px; margin: 26px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.runid { font-family: ui-monospace, monospace; font-size: 15px; color: #58616b; }
.badge { font-size: 13px; padding: 2px 8px; border-radius: 10px; color: #fff; background: var(--idle); vertical-align: middle; }
.badge.status-success { background: var(--ok); } .badge.status-failed { background: var(--bad); }
.badge.status-interrupted, .badge.status-cancelled { background: var(--warn); } .badge.status-running { background: var(--run); }
table { border-collapse: collapse; } th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
.summary th { color: #58616b; font-weight: 600; }
.frame, .gantt { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
#dag { display: block; height: auto; margin: 0 auto; }
.gantt { display: flex; } #gantt-labels { flex: none; } #gantt { flex: 1 1 auto; min-width: 0; margin-right: 4px; }
.carried-mark { fill: #eef1f4; stroke: var(--idle); stroke-dasharray: 3 2; } svg text.carried-text { font-size: 11px; fill: #58616b; }
svg text.carried-label { fill: #8a939c; }
pre.log-tail { background: #1d2329; color: #e8ecef; padding: 10px 12px; border-radius: 6px; overflow-x: auto; font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); } svg text.sub { font-size: 10px; fill: #58616b; }
svg text.axis { font-size: 10px; fill: #58616b; } .tick { stroke: #eceff2; }
.node rect { fill: #eef1f4; stroke: var(--idle); stroke-width: 1.5; }
.node.status-success rect, .node.status-up_to_date rect { fill: #e3f4e9; stroke: var(--ok); }
.node.status-failed rect { fill: #fbe6e6; stroke: var(--bad); } .node.status-running rect { fill: #e4effb; stroke: var(--run); }
.node.status-upstream_failed rect, .node.status-blocked rect, .node.status-cancelled rect { fill: #fbf1dd; stroke: var(--warn); }
.node.kind-gate rect { stroke-dasharray: 5 3; }
.edge { fill: none; stroke: #7d8792; stroke-width: 1.5; } .arrowhead { fill: #7d8792; }
.seg { stroke: rgba(0,0,0,.25); stroke-width: .5; }
.seg-attempt.outcome-success { fill: var(--ok); } .seg-attempt.outcome-failed, .seg-attempt.outcome-missing-output { fill: var(--bad); }
.seg-attempt.outcome-timeout { fill: #a23bc4; } .seg-attempt.outcome-cancelled { fill: var(--warn); } .seg-attempt.outcome-running { fill: var(--run); }
.seg-gpu-wait { fill: #c9ced4; } .seg-retry-delay { fill: #f2e2b3; stroke-dasharray: 3 2; }
.legend { margin: 0 0 8px; font-size: 12px; } .key { margin-right: 14px; white-space: nowrap; }
.gate { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--ok); border-radius: 4px; padding: 6px 12px; margin: 8px 0; }
.gate.verdict-FAIL { border-left-color: var(--bad); } .gate h3 { margin: 4px 0; font-size: 15px; } .gate .verdict { font-family: ui-monospace, monospace; }
li.fail { color: var(--bad); } .none { color: #58616b; font-style: italic; }
.stages td.st { font-weight: 600; } tr.status-failed td.st { color: var(--bad); } tr.status-success td.st { color: var(--ok); }
code { font-family: ui-monospace, monospace; font-size: 12px; } footer { margin-top: 30px; color: #8a939c; font-size: 12px; }
`;
