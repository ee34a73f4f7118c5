//! Charts as inline SVG, drawn in integer arithmetic so that the same figures always give the
//! same bytes. Every label is escaped here, because the SVG reaches the page unescaped; each
//! chart has a data table beside it on the page for screen readers and for print.

use std::fmt::Write as _;

use super::format_count;

/// The drawing area, in SVG user units.
const WIDTH: i64 = 640;
const HEIGHT: i64 = 240;
const LEFT: i64 = 48;
const RIGHT: i64 = 16;
const TOP: i64 = 16;
const BOTTOM: i64 = 40;

/// Line and bar colours, distinguishable in grey print too (dark and light with dashes).
const COLOURS: [&str; 3] = ["#1f5fa8", "#b45309", "#1e7a3c"];
const DASHES: [&str; 3] = ["", " stroke-dasharray=\"6 4\"", " stroke-dasharray=\"2 3\""];

pub use crate::html::escape;

/// A named line of percentages in basis points; `None` where there is no value.
pub struct Series {
    pub name: String,
    pub values: Vec<Option<u32>>,
}

fn header(svg: &mut String, id: &str, title: &str) {
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-title\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title>",
        escape(title)
    );
}

/// Tenths of a unit as SVG text: 1234 → "123.4".
fn tenths(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}.{}", value.abs() / 10, value.abs() % 10)
}

/// Draws a line chart of percentages from 0% to 100% over categories such as months.
pub fn percent_lines(id: &str, title: &str, labels: &[String], series: &[Series]) -> String {
    let mut svg = String::new();
    header(&mut svg, id, title);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    // Positions in tenths of a unit.
    let x = |index: usize| {
        if labels.len() <= 1 {
            (LEFT * 10) + plot_width * 5
        } else {
            LEFT * 10 + (index as i64) * plot_width * 10 / (labels.len() as i64 - 1)
        }
    };
    let y = |basis_points: u32| {
        TOP * 10 + (10_000 - i64::from(basis_points.min(10_000))) * plot_height * 10 / 10_000
    };
    for percent in [0u32, 25, 50, 75, 100] {
        let level = y(percent * 100);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#d7dce3\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6472\">{percent}%</text>",
            WIDTH - RIGHT,
            tenths(level),
            tenths(level),
            LEFT - 6,
            tenths(level + 35)
        );
    }
    for (index, label) in labels.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6472\">{}</text>",
            tenths(x(index)),
            HEIGHT - BOTTOM + 16,
            escape(label)
        );
    }
    for (number, line) in series.iter().enumerate() {
        let colour = COLOURS[number % COLOURS.len()];
        let dash = DASHES[number % DASHES.len()];
        let points: Vec<String> = line
            .values
            .iter()
            .enumerate()
            .filter_map(|(index, value)| {
                value.map(|bp| format!("{},{}", tenths(x(index)), tenths(y(bp))))
            })
            .collect();
        if !points.is_empty() {
            let _ = write!(
                svg,
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash} points=\"{}\"/>",
                points.join(" ")
            );
            for point in &points {
                let (px, py) = point.split_once(',').unwrap_or(("0", "0"));
                let _ = write!(
                    svg,
                    "<circle cx=\"{px}\" cy=\"{py}\" r=\"3\" fill=\"{colour}\"/>"
                );
            }
        }
        let legend_x = LEFT + 8 + (number as i64) * 160;
        let _ = write!(
            svg,
            "<line x1=\"{legend_x}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/><text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#1d2430\">{}</text>",
            legend_x + 18,
            HEIGHT - 10,
            HEIGHT - 10,
            legend_x + 22,
            HEIGHT - 6,
            escape(&line.name)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Draws a bar chart of counts over categories.
pub fn bars(id: &str, title: &str, labels: &[String], values: &[u64]) -> String {
    let mut svg = String::new();
    header(&mut svg, id, title);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let max = values.iter().copied().max().unwrap_or(0).max(1) as i64;
    let slot = plot_width * 10 / labels.len().max(1) as i64;
    let bar = slot * 6 / 10;
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#5b6472\"/>",
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM
    );
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6472\">{}</text>",
        LEFT - 6,
        TOP + 4,
        format_count(max as u64)
    );
    for (index, (label, &value)) in labels.iter().zip(values).enumerate() {
        let height = value as i64 * plot_height * 10 / max;
        let x = LEFT * 10 + index as i64 * slot + (slot - bar) / 2;
        let top = (HEIGHT - BOTTOM) * 10 - height;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1d2430\">{}</text>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6472\">{}</text>",
            tenths(x),
            tenths(top),
            tenths(bar),
            tenths(height),
            COLOURS[0],
            tenths(x + bar / 2),
            tenths(top - 40),
            format_count(value),
            tenths(x + bar / 2),
            HEIGHT - BOTTOM + 16,
            escape(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_labels_are_escaped() {
        let labels = vec![
            "<script>alert(1)</script>".to_string(),
            "\"><img src=x onerror=alert(1)>".to_string(),
        ];
        let svg = bars("b", "Tickets & <teams>", &labels, &[3, 4]);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("Tickets &amp; &lt;teams&gt;"));
        let lines = percent_lines(
            "l",
            "t",
            &labels,
            &[Series {
                name: "<b>team</b>".to_string(),
                values: vec![Some(9_500), None],
            }],
        );
        assert!(!lines.contains("<b>"), "{lines}");
        assert!(!lines.contains("<script"), "{lines}");
    }

    #[test]
    fn same_figures_give_same_bytes() {
        let labels = vec![
            "2026-07".to_string(),
            "2026-08".to_string(),
            "2026-09".to_string(),
        ];
        let series = || {
            vec![Series {
                name: "resolution".to_string(),
                values: vec![Some(9_512), Some(8_000), Some(10_000)],
            }]
        };
        assert_eq!(
            percent_lines("a", "t", &labels, &series()),
            percent_lines("a", "t", &labels, &series())
        );
    }

    #[test]
    fn bar_heights_scale_to_largest() {
        let svg = bars("b", "t", &["a".to_string(), "b".to_string()], &[92, 184]);
        // The plot is 184 units high, so the largest bar fills it and the other is half.
        assert!(svg.contains("height=\"184.0\""), "{svg}");
        assert!(svg.contains("height=\"92.0\""), "{svg}");
    }

    #[test]
    fn bar_values_have_thousands_separators() {
        let svg = bars(
            "b",
            "t",
            &["a".to_string(), "b".to_string()],
            &[13_549, 982],
        );
        // The bar's value and the axis maximum.
        assert_eq!(svg.matches(">13,549</text>").count(), 2, "{svg}");
        assert!(svg.contains(">982</text>"), "{svg}");
    }
}
