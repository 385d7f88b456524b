//! Chart geometry, computed here and drawn as inline SVG by the theme's templates:
//! founders per sector, founders per former employer, companies by founding month, and
//! the employer -> company -> sector flow.
//!
//! Each chart is laid out twice: for a column as wide as [`Layout::Wide`] and, in its
//! `narrow` field, for a phone ([`Layout::Narrow`]). The theme shows the one that fits, so a
//! chart never scrolls sideways and is never scaled down until its text is unreadable.

use serde::Serialize;

use crate::config::{Config, LangId};
use crate::error::Diagnostic;
use crate::render::theme::Theme;
use crate::resolve::Site;

mod bars;
mod flow;
mod layout;
mod timeline;

pub use layout::*;

/// All charts of a language.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Charts {
    pub by_sector: BarChart,
    pub by_employer: BarChart,
    pub timeline: Timeline,
    pub flow: Flow,
}

/// Computes every chart for `lang`.
pub fn build(cfg: &Config, site: &Site, theme: &Theme, lang: LangId) -> Result<Charts, Diagnostic> {
    let l = Lang {
        cfg,
        site,
        theme,
        lang,
    };
    Ok(Charts {
        by_sector: bars::by_sector(&l)?,
        by_employer: bars::by_employer(&l)?,
        timeline: timeline::timeline(&l)?,
        flow: flow::flow(&l)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(lines: &[String], width: f64) -> bool {
        lines.iter().all(|l| text_width(l, FONT) <= width)
    }

    #[test]
    fn a_label_that_fits_stays_whole() {
        assert_eq!(wrap("Lepton AI", 82.0, FONT, 2), ["Lepton AI"]);
        assert_eq!(wrap("  阿里巴巴 ", 82.0, FONT, 2), ["阿里巴巴"]);
    }

    #[test]
    fn latin_text_breaks_at_spaces_and_after_hyphens() {
        assert_eq!(
            wrap("Liyang Shenzhou", 82.0, FONT, 2),
            ["Liyang", "Shenzhou"]
        );
        let lines = wrap("Text-to-image and video models", 98.0, FONT, 3);
        assert_eq!(
            lines.concat().replace(' ', ""),
            "Text-to-imageandvideomodels"
        );
        assert!(lines.len() > 1 && fits(&lines, 98.0), "{lines:?}");
        // A hyphenated word that does not fit breaks after a hyphen, not inside a part.
        let lines = wrap("general-purpose", 60.0, FONT, 2);
        assert_eq!(lines, ["general-", "purpose"]);
    }

    #[test]
    fn chinese_text_breaks_between_characters() {
        // Greedy: the first line takes as many characters as fit (7.7 em of 8.2).
        let lines = wrap("AI 基础设施与通用大模型", 98.0, FONT, 2);
        assert_eq!(lines, ["AI 基础设施与通", "用大模型"]);
    }

    #[test]
    fn text_beyond_the_last_line_ends_in_an_ellipsis() {
        let lines = wrap(
            "AI infrastructure and general-purpose models",
            98.0,
            FONT,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "AI infrastructure");
        assert!(lines[1].ends_with('…') && fits(&lines, 98.0), "{lines:?}");
        let lines = wrap("文生图与视频模型和更多的东西", 50.0, FONT, 1);
        assert_eq!(lines, ["文生图…"]);
    }

    #[test]
    fn a_word_longer_than_a_line_is_cut() {
        let lines = wrap("Supercalifragilistic", 60.0, FONT, 3);
        assert!(lines.len() > 1 && fits(&lines, 60.0), "{lines:?}");
        assert_eq!(lines.concat(), "Supercalifragilistic");
    }

    fn rows() -> Vec<(String, usize, String)> {
        [
            ("AI infrastructure and general-purpose models", 3),
            ("AI agents", 2),
            ("文生图/视频模型", 12),
        ]
        .into_iter()
        .map(|(l, n)| (l.to_owned(), n, "/x/".to_owned()))
        .collect()
    }

    #[test]
    fn the_wide_bar_chart_holds_a_narrow_one_with_its_own_ids() {
        let wide = bar_chart("chart-x", "T".into(), "D".into(), rows());
        assert_eq!(
            (wide.id.as_str(), wide.layout, wide.width),
            ("chart-x", Layout::Wide, WIDTH)
        );
        assert!(wide.bars.iter().all(|b| b.lines.is_empty()));
        let narrow = wide.narrow.as_deref().expect("a narrow layout");
        assert_eq!(narrow.id, "chart-x-narrow");
        assert_eq!(
            (narrow.layout, narrow.width),
            (Layout::Narrow, NARROW_WIDTH)
        );
        assert!(narrow.narrow.is_none());
        assert_eq!(narrow.bars.len(), 3);
    }

    #[test]
    fn narrow_bars_fit_their_width_with_their_labels_above() {
        let wide = bar_chart("chart-x", "T".into(), "D".into(), rows());
        let narrow = wide.narrow.as_deref().expect("a narrow layout");
        let mut bottom = 0.0;
        for b in &narrow.bars {
            // The value after the longest bar still fits.
            let value_end = narrow.x0 + b.w + 6.0 + text_width(&b.value.to_string(), FONT);
            assert!(value_end <= narrow.width, "{} ends at {value_end}", b.label);
            assert_eq!(b.lines.len(), 1, "{:?}", b.lines);
            assert!(fits(&b.lines, narrow.width));
            // The label line (centred 9 above the bar) clears the bar above it.
            assert!(
                b.y - 9.0 - FONT / 2.0 >= bottom,
                "{} overlaps the bar above",
                b.label
            );
            bottom = b.y + narrow.bar_height;
        }
        assert!(bottom <= narrow.height);
    }
}
