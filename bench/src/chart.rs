//! The table as an SVG bar chart: one panel per workload, one group of bars per
//! runtime, one bar per framework (ns per operation, lower is better). Written by hand:
//! a few rectangles and labels do not need a plotting library.

use std::fmt::Write as _;

use crate::table::Table;

const WIDTH: f64 = 900.0;
/// Room for the framework names left of the bars.
const LABELS: f64 = 150.0;
/// Room for the figures right of the longest bar.
const FIGURES: f64 = 150.0;
const BAR: f64 = 14.0;
const BAR_GAP: f64 = 4.0;
const GROUP_TITLE: f64 = 20.0;
const PANEL_TITLE: f64 = 30.0;
const MARGIN: f64 = 16.0;

/// The bar colour of a framework: `messages` stands out, the raw floor is grey.
fn colour(framework: &str) -> &'static str {
    match framework {
        "messages" => "#c0392b",
        "xtra" => "#2e86c1",
        "kameo" => "#28b463",
        "ractor" => "#8e44ad",
        "actix" => "#e67e22",
        _ => "#909497",
    }
}

/// Escapes text for an SVG text node.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The chart of `table`, with `subtitle` (machine, command) under the title.
pub fn svg(table: &Table, subtitle: &str) -> String {
    let mut workloads: Vec<&'static str> = Vec::new();
    for row in &table.rows {
        if !workloads.contains(&row.workload) {
            workloads.push(row.workload);
        }
    }
    let mut body = String::new();
    let mut y = MARGIN + 44.0;
    for workload in workloads {
        let rows: Vec<_> = table
            .rows
            .iter()
            .filter(|row| row.workload == workload)
            .collect();
        // Each workload on its own scale: their figures differ by orders of magnitude.
        let longest = rows
            .iter()
            .flat_map(|row| row.nanos.iter().flatten())
            .fold(0.0_f64, |longest, &nanos| longest.max(nanos));
        let scale = (WIDTH - LABELS - FIGURES - 2.0 * MARGIN) / longest.max(1.0);
        let _ = writeln!(
            body,
            r#"<text x="{MARGIN}" y="{:.1}" class="panel">{} — ns per operation</text>"#,
            y + 16.0,
            escape(workload)
        );
        y += PANEL_TITLE;
        for row in rows {
            let _ = writeln!(
                body,
                r#"<text x="{:.1}" y="{:.1}" class="group">{}</text>"#,
                MARGIN + 8.0,
                y + 13.0,
                escape(row.runtime)
            );
            y += GROUP_TITLE;
            for (column, framework) in table.frameworks.iter().enumerate() {
                let Some(nanos) = row.nanos.get(column).copied().flatten() else {
                    continue;
                };
                let length = (nanos * scale).max(1.0);
                let figure = match row.ratio(column) {
                    Some(ratio) if column > 0 => format!("{nanos:.0} ns ({ratio:.2}x raw)"),
                    _ => format!("{nanos:.0} ns"),
                };
                let _ = writeln!(
                    body,
                    r#"<text x="{:.1}" y="{:.1}" class="name">{}</text><rect x="{:.1}" y="{y:.1}" width="{length:.1}" height="{BAR}" fill="{}"/><text x="{:.1}" y="{:.1}" class="figure">{figure}</text>"#,
                    MARGIN + LABELS - 8.0,
                    y + BAR - 3.0,
                    escape(framework),
                    MARGIN + LABELS,
                    colour(framework),
                    MARGIN + LABELS + length + 6.0,
                    y + BAR - 3.0,
                );
                y += BAR + BAR_GAP;
            }
            y += 6.0;
        }
        y += 10.0;
    }
    let height = y + MARGIN;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="Helvetica, Arial, sans-serif">
<style>
.title {{ font-size: 18px; font-weight: bold; }}
.subtitle {{ font-size: 12px; fill: #555; }}
.panel {{ font-size: 15px; font-weight: bold; }}
.group {{ font-size: 12px; font-style: italic; fill: #333; }}
.name {{ font-size: 12px; text-anchor: end; }}
.figure {{ font-size: 11px; fill: #333; }}
</style>
<rect width="100%" height="100%" fill="white"/>
<text x="{MARGIN}" y="{:.1}" class="title">messages against raw tokio channels and peer actor frameworks (lower is better)</text>
<text x="{MARGIN}" y="{:.1}" class="subtitle">{}</text>
{body}</svg>
"##,
        MARGIN + 16.0,
        MARGIN + 34.0,
        escape(subtitle)
    )
}
