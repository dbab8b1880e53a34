//! The overview's charts as inline SVG, drawn on the server: no script, coloured by the stylesheet's classes.
use std::fmt::Write as _;

use super::html::esc;

const WIDTH: i64 = 560;

/// Horizontal bars, one per row, each as long as its share of the largest; the count and the share of the first at the end.
pub fn bars(title: &str, rows: &[(&str, i64)]) -> String {
    const ROW: i64 = 26;
    const LABEL: i64 = 110;
    const ROOM: i64 = WIDTH - LABEL - 120;
    let height = ROW * rows.len() as i64 + 8;
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let first = rows.first().map_or(0, |(_, n)| *n);
    let mut out = svg_open(title, height);
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = 4 + ROW * i as i64;
        let len = if *n > 0 { (ROOM * n / max).max(2) } else { 0 };
        let share = if first > 0 { format!(" ({}%)", (n * 100 + first / 2) / first) } else { String::new() };
        let _ = write!(
            out,
            "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar bar{}\" x=\"{LABEL}\" y=\"{y}\" width=\"{len}\" height=\"{}\"></rect>\
             <text class=\"value\" x=\"{}\" y=\"{}\">{n}{share}</text>",
            LABEL - 8,
            y + 16,
            esc(label),
            i % 6,
            ROW - 8,
            LABEL + len + 6,
            y + 16,
        );
    }
    out.push_str("</svg>");
    out
}

/// Vertical bars over labelled slots (days, durations), each with its count above it.
pub fn columns(title: &str, slots: &[(String, i64)]) -> String {
    const HEIGHT: i64 = 180;
    const TOP: i64 = 20;
    const BOTTOM: i64 = 24;
    let n = slots.len().max(1) as i64;
    let slot = WIDTH / n;
    let max = slots.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let room = HEIGHT - TOP - BOTTOM;
    let mut out = svg_open(title, HEIGHT);
    for (i, (label, v)) in slots.iter().enumerate() {
        let x = slot * i as i64;
        let h = if *v > 0 { (room * v / max).max(2) } else { 0 };
        let y = HEIGHT - BOTTOM - h;
        let mid = x + slot / 2;
        let _ = write!(
            out,
            "<rect class=\"bar bar0\" x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{h}\"></rect>\
             <text class=\"value\" x=\"{mid}\" y=\"{}\" text-anchor=\"middle\">{v}</text>\
             <text class=\"label\" x=\"{mid}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x + 4,
            slot - 8,
            y - 5,
            HEIGHT - 6,
            esc(label),
        );
    }
    out.push_str("</svg>");
    out
}

fn svg_open(title: &str, height: i64) -> String {
    format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{0}\"><title>{0}</title>",
        esc(title)
    )
}

/// The upper bounds of the time-to-accept buckets, in days (the last is open).
const BUCKETS: [i64; 7] = [1, 3, 7, 14, 30, 60, 90];

/// Durations in seconds counted in buckets: `<1d`, `1–3d`, …, `90d+` (`d` in the page's language).
pub fn accept_buckets(seconds: &[i64], day: &str) -> Vec<(String, i64)> {
    let mut counts = [0i64; BUCKETS.len() + 1];
    for s in seconds {
        let i = BUCKETS.iter().position(|b| *s < b * 86_400).unwrap_or(BUCKETS.len());
        counts[i] += 1;
    }
    let mut out = Vec::with_capacity(counts.len());
    let mut low = 0;
    for (i, c) in counts.iter().enumerate() {
        let label = match BUCKETS.get(i) {
            Some(high) if low == 0 => format!("<{high}{day}"),
            Some(high) => format!("{low}–{high}{day}"),
            None => format!("{low}{day}+"),
        };
        out.push((label, *c));
        low = BUCKETS.get(i).copied().unwrap_or(low);
    }
    out
}

/// The median of durations in seconds, as days with one decimal.
pub fn median_days(seconds: &[i64]) -> Option<f64> {
    if seconds.is_empty() {
        return None;
    }
    let mut s = seconds.to_vec();
    s.sort_unstable();
    let m = s.len() / 2;
    let median = if s.len().is_multiple_of(2) { (s[m - 1] + s[m]) as f64 / 2.0 } else { s[m] as f64 };
    Some((median / 8_640.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_fall_in_their_buckets() {
        let day = 86_400;
        let b = accept_buckets(&[0, day - 1, day, 3 * day, 100 * day], "d");
        let labels: Vec<&str> = b.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["<1d", "1–3d", "3–7d", "7–14d", "14–30d", "30–60d", "60–90d", "90d+"]);
        let counts: Vec<i64> = b.iter().map(|(_, c)| *c).collect();
        assert_eq!(counts, [2, 1, 1, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn the_median_is_in_days() {
        assert_eq!(median_days(&[]), None);
        assert_eq!(median_days(&[86_400, 3 * 86_400, 100 * 86_400]), Some(3.0));
        assert_eq!(median_days(&[0, 86_400]), Some(0.5));
    }

    #[test]
    fn a_chart_is_svg_with_its_values_and_labels_escaped() {
        let svg = bars("Funnel <1>", &[("created", 10), ("a<b", 5), ("none", 0)]);
        assert!(svg.starts_with("<svg class=\"chart\""), "{svg}");
        assert!(svg.contains(">10 (100%)<") && svg.contains(">5 (50%)<") && svg.contains(">0 (0%)<"), "{svg}");
        assert!(svg.contains("a&lt;b") && svg.contains("Funnel &lt;1&gt;"));
        assert!(!svg.contains("style="), "the CSP allows no inline style");
        let svg = columns("Week", &[("11-23".into(), 0), ("11-24".into(), 4)]);
        assert!(svg.contains(">4<") && svg.contains(">11-24<"), "{svg}");
    }
}
