//! Per-round measurements, their medians, and the markdown report.

use std::fmt::Write as _;

#[derive(Debug, Clone)]
pub struct Measurement {
    pub part: &'static str,
    pub test: String,
    pub metric: &'static str,
    pub server: String,
    pub round: usize,
    pub value: f64,
}

#[derive(Debug, Default)]
pub struct Results {
    pub all: Vec<Measurement>,
    pub notes: Vec<String>,
}

pub fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

impl Results {
    pub fn add(&mut self, part: &'static str, test: &str, metric: &'static str, server: &str, round: usize, value: f64) {
        self.all.push(Measurement { part, test: test.to_string(), metric, server: server.to_string(), round, value });
    }

    pub fn note(&mut self, s: String) {
        eprintln!("note: {s}");
        self.notes.push(s);
    }

    pub fn values(&self, part: &str, test: &str, metric: &str, server: &str) -> Vec<f64> {
        let mut m: Vec<&Measurement> = self
            .all
            .iter()
            .filter(|m| m.part == part && m.test == test && m.metric == metric && m.server == server)
            .collect();
        m.sort_by_key(|m| m.round);
        m.iter().map(|m| m.value).collect()
    }

    pub fn median(&self, part: &str, test: &str, metric: &str, server: &str) -> Option<f64> {
        median(self.values(part, test, metric, server))
    }

    /// Tab-separated raw data: part, test, metric, server, round, value.
    pub fn tsv(&self) -> String {
        let mut s = String::from("part\ttest\tmetric\tserver\tround\tvalue\n");
        for m in &self.all {
            let _ = writeln!(s, "{}\t{}\t{}\t{}\t{}\t{}", m.part, m.test, m.metric, m.server, m.round + 1, m.value);
        }
        s
    }

    /// Every measurement of a part, one line per (test, metric, server), rounds in order.
    pub fn raw_section(&self, part: &str) -> String {
        let mut keys: Vec<(String, &'static str, String)> = Vec::new();
        for m in self.all.iter().filter(|m| m.part == part) {
            let k = (m.test.clone(), m.metric, m.server.clone());
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let mut s = String::new();
        for (test, metric, server) in keys {
            let v = self.values(part, &test, metric, &server);
            let list: Vec<String> = v.iter().map(|x| fmt_num(*x, metric)).collect();
            let _ = writeln!(s, "{test} | {metric} | {server}: {}", list.join(", "));
        }
        s
    }
}

/// Formats a value for its metric: counts with separators, small numbers with decimals.
pub fn fmt_num(v: f64, metric: &str) -> String {
    if v.is_nan() {
        return "n/a".into();
    }
    if metric.starts_with("GETs") {
        return thousands(v.round() as i64);
    }
    if metric.contains("ms") || metric.contains("µs") {
        return if v >= 100.0 { format!("{v:.0}") } else if v >= 10.0 { format!("{v:.1}") } else { format!("{v:.2}") };
    }
    if metric.starts_with("slowest") {
        return format!("{v:.2}");
    }
    if metric.contains('%') {
        return format!("{v:.1}");
    }
    if v.abs() >= 1000.0 || metric.contains("ops/s") || metric.contains("keys") || metric.contains("bytes") {
        return thousands(v.round() as i64);
    }
    if v.fract() == 0.0 {
        return format!("{v:.0}");
    }
    format!("{v:.2}")
}

pub fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

const TEXT_COLUMNS: [&str; 6] = ["", "test", "metric", "workload", "event", "target"];

/// A markdown table.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table { header: header.iter().map(|s| s.to_string()).collect(), rows: Vec::new() }
    }
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "| {} |", self.header.join(" | "));
        let _ = writeln!(s, "|{}", self.header.iter().map(|h| if TEXT_COLUMNS.contains(&h.as_str()) { "---|" } else { "---:|" }).collect::<String>());
        for r in &self.rows {
            let _ = writeln!(s, "| {} |", r.join(" | "));
        }
        s
    }
}

pub fn cell(v: Option<f64>, metric: &str) -> String {
    v.map(|v| fmt_num(v, metric)).unwrap_or_else(|| "–".into())
}

pub fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b != 0.0 => Some(a / b),
        _ => None,
    }
}

pub fn ratio_cell(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.2}")).unwrap_or_else(|| "–".into())
}

/// "≥ 1.0: yes" / "≥ 1.0: **no**".
pub fn verdict(label: &str, ok: Option<bool>) -> String {
    match ok {
        Some(true) => format!("{label}: yes"),
        Some(false) => format!("{label}: **no**"),
        None => format!("{label}: –"),
    }
}
