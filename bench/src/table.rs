//! The measured figures: one row per workload and runtime, one cell per framework.

use std::fmt::Write as _;

/// The frameworks of a table, in column order: the raw channel first, then `messages`,
/// then the peers.
#[derive(Debug, Clone)]
pub struct Table {
    /// Column names.
    pub frameworks: Vec<&'static str>,
    /// The rows, in measuring order.
    pub rows: Vec<Row>,
}

/// One workload on one runtime.
#[derive(Debug, Clone)]
pub struct Row {
    /// What was measured (`ring (per hop)`, ...).
    pub workload: &'static str,
    /// Which runtime it ran on.
    pub runtime: &'static str,
    /// Median nanoseconds per operation, per framework (`None`: not measured).
    pub nanos: Vec<Option<f64>>,
    /// Minor page faults per thousand operations (the mean of the repetitions), per framework (`None`: not
    /// measured, or not countable on this system).
    pub faults: Vec<Option<f64>>,
}

impl Row {
    /// The raw channel's figure, the floor the ratios are taken against.
    pub fn floor(&self) -> Option<f64> {
        self.nanos.first().copied().flatten()
    }

    /// A framework's figure divided by the floor.
    pub fn ratio(&self, column: usize) -> Option<f64> {
        let value = self.nanos.get(column).copied().flatten()?;
        Some(value / self.floor()?)
    }
}

impl Table {
    /// An empty table with these columns.
    pub fn new(frameworks: Vec<&'static str>) -> Self {
        Self {
            frameworks,
            rows: Vec::new(),
        }
    }

    /// The table as Markdown: every framework's ns/op, and after each but the floor its
    /// ratio to the floor.
    pub fn markdown(&self) -> String {
        let mut out = self.header(true);
        for row in &self.rows {
            let _ = write!(out, "| {} | {} |", row.workload, row.runtime);
            for (column, nanos) in row.nanos.iter().enumerate() {
                let _ = write!(out, " {} |", dash_or(*nanos, |n| format!("{n:.0}")));
                if column > 0 {
                    let _ = write!(
                        out,
                        " {} |",
                        dash_or(row.ratio(column), |r| format!("{r:.2}x"))
                    );
                }
            }
            out.push('\n');
        }
        out
    }

    /// The page faults as Markdown: per framework, the minor page faults per thousand
    /// operations, averaged over the repetitions (whole process; the measured run's
    /// setup included).
    pub fn faults_markdown(&self) -> String {
        let mut out = self.header(false);
        for row in &self.rows {
            let _ = write!(out, "| {} | {} |", row.workload, row.runtime);
            for faults in &row.faults {
                let _ = write!(out, " {} |", dash_or(*faults, |f| format!("{f:.0}")));
            }
            out.push('\n');
        }
        out
    }

    /// The header and rule lines: a column per framework, and with `ratios` a ratio
    /// column after each but the floor.
    fn header(&self, ratios: bool) -> String {
        let mut names = String::from("| workload | runtime |");
        let mut rule = String::from("| --- | --- |");
        for (column, name) in self.frameworks.iter().enumerate() {
            let _ = write!(names, " {name} |");
            rule.push_str(" ---: |");
            if ratios && column > 0 {
                names.push_str(" ratio |");
                rule.push_str(" ---: |");
            }
        }
        format!("{names}\n{rule}\n")
    }
}

/// A cell: the value formatted, or `–` when there is none.
fn dash_or(value: Option<f64>, format: impl Fn(f64) -> String) -> String {
    value.map_or_else(|| "–".to_owned(), format)
}
