/** The report page's style sheet: verdict colours (green allowed, red denied, orange mixed), plaintext dashed. */
export const PAGE_STYLE = `
:root { --allowed: #2e7d32; --denied: #c62828; --mixed: #ef6c00; --changed: #6a1b9a; font: 14px/1.4 system-ui, sans-serif; color: #1b1b1b; }
body { margin: 0; background: #f6f7f9; }
#report { display: grid; grid-template-columns: minmax(0, 1fr) 26rem; grid-template-areas: "head head" "panels panels" "graph explanation" "flows explanation"; gap: 12px; padding: 12px; }
header { grid-area: head; display: flex; flex-wrap: wrap; align-items: baseline; gap: 16px; }
header h1 { font-size: 20px; margin: 0; } header h2 { font-size: 16px; margin: 0; font-weight: normal; }
dl.summary { display: flex; gap: 12px; margin: 0; } dl.summary dt { color: #555; } dl.summary dd { margin: 0 8px 0 -8px; font-weight: 600; }
section { background: #fff; border: 1px solid #d8dce1; border-radius: 6px; padding: 8px 12px; min-width: 0; }
#panels { grid-area: panels; } #panels ul.diagnostics, #panels ul.notes { max-height: 7.5em; overflow-y: auto; } #panels:empty { display: none; } #panels h3 { font-size: 14px; margin: 4px 0; } #panels ul { margin: 0 0 6px; padding-left: 18px; }
#graph { grid-area: graph; } #flows { grid-area: flows; } #explanation { grid-area: explanation; overflow: auto; max-height: 95vh; position: sticky; top: 12px; align-self: start; }
.graph-frame { overflow: auto; max-height: 60vh; border: 1px solid #eceff2; }
.legend { display: flex; gap: 14px; align-items: center; margin-bottom: 6px; } .legend .zoom { margin-left: auto; }
.key::before { content: ""; display: inline-block; width: 22px; height: 0; margin-right: 4px; vertical-align: middle; border-top: 3px solid #888; }
.key.allowed::before { border-color: var(--allowed); } .key.denied::before { border-color: var(--denied); } .key.mixed::before { border-color: var(--mixed); }
.key.plaintext::before { border-top-style: dashed; } .key.changed::before { border-color: var(--changed); border-top-width: 6px; }
g.namespace rect { fill: #eef3fb; stroke: #9fb3d1; } g.namespace text { font-size: 13px; font-weight: 600; fill: #34507a; }
g.node rect { fill: #fff; stroke: #5f6b7a; stroke-width: 1.2; } g.node text { font-size: 11px; } g.node text.host { fill: #666; font-size: 9.5px; }
g.node.service rect { fill: #fff8e1; stroke: #b08900; } g.node.waypoint rect { fill: #e8f5e9; stroke: #1b5e20; stroke-width: 2.5; }
g.node.external rect { fill: #f5f5f5; stroke-dasharray: 4 3; } g.node.k8s-node rect { fill: #ede7f6; stroke: #4527a0; }
path.edge { fill: none; stroke-width: 1.6; cursor: pointer; } path.edge.allowed { stroke: var(--allowed); } path.edge.denied { stroke: var(--denied); } path.edge.mixed { stroke: var(--mixed); }
path.edge.plaintext { stroke-dasharray: 7 4; } path.edge.mixed-encryption { stroke-dasharray: 2 3; }
path.edge.changed { stroke-width: 5; stroke-opacity: 0.85; } path.edge.selected { stroke-width: 6; filter: drop-shadow(0 0 3px #000a); }
path.head.allowed { fill: var(--allowed); } path.head.denied { fill: var(--denied); } path.head.mixed { fill: var(--mixed); }
.filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 6px; } .filters input.search { flex: 1; min-width: 14rem; } .filters .count { color: #444; }
.row { display: grid; grid-template-columns: 9rem 1fr 1fr 4.5rem 5.5rem 1fr 1fr; gap: 8px; height: 24px; align-items: center; font-size: 12.5px; white-space: nowrap; }
#flows.diff .row { grid-template-columns: 9rem 1fr 1fr 4.5rem 5.5rem 1fr 1fr 9rem; }
.row span { overflow: hidden; text-overflow: ellipsis; } .row.head { font-weight: 600; border-bottom: 1px solid #ccd; }
.scroller { height: 480px; overflow-y: auto; position: relative; } .spacer { position: relative; }
.spacer .row { position: absolute; left: 0; right: 0; top: 0; cursor: pointer; } .spacer .row:hover { background: #eef3fb; } .spacer .row.denied span:nth-child(4) { color: var(--denied); font-weight: 600; }
.verdict.allowed { color: var(--allowed); font-weight: 700; } .verdict.denied { color: var(--denied); font-weight: 700; }
.outcome dl { display: grid; grid-template-columns: 6rem 1fr; margin: 4px 0; } .outcome dd { margin: 0; overflow-wrap: anywhere; }
.steps li span { display: block; } .steps .at { color: #555; font-size: 12px; } .steps .near-miss { color: var(--mixed); }
.step.deny .what { color: var(--denied); } .step.allow .what { color: var(--allowed); }
.expectations li.failed .status { color: var(--denied); font-weight: 700; } .expectations li.passed .status { color: var(--allowed); font-weight: 700; }
.expectations li span { margin-right: 8px; } .counterexample, .change-group { cursor: pointer; }
#explanation h2, #explanation p { overflow-wrap: anywhere; }
`;
