//! The words only a report prints (its running heads and feet) and only a
//! download writes (CSV column heads). Apart from [`crate::Msg`], so the
//! app's first-load module does not carry them.

use analytics::Lang;

/// A report-only message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportMsg {
    /// "As of", before the time the data was read.
    AsOf,
    /// A table continued from the page before.
    Continued,
    /// The footer's credit, when the agency wants the product named.
    MadeWith,
    /// A cascade's tree picture.
    TreeTitle,
    /// No cascade to draw.
    NoTree,
    /// CSV heads of the KPI cards: a figure's raw value, what the card
    /// shows, its interval.
    ColValue,
    ColShown,
    ColInterval,
}

impl ReportMsg {
    pub const ALL: [ReportMsg; 8] = [
        ReportMsg::AsOf,
        ReportMsg::Continued,
        ReportMsg::MadeWith,
        ReportMsg::TreeTitle,
        ReportMsg::NoTree,
        ReportMsg::ColValue,
        ReportMsg::ColShown,
        ReportMsg::ColInterval,
    ];
}

/// The text of `msg` in `lang`.
pub fn report_text(lang: Lang, msg: ReportMsg) -> &'static str {
    match (lang, msg) {
        (Lang::En, ReportMsg::AsOf) => "Data as of",
        (Lang::En, ReportMsg::Continued) => "(continued)",
        (Lang::En, ReportMsg::MadeWith) => "Made with Word-of-Mouth Analytics",
        (Lang::En, ReportMsg::TreeTitle) => "How one post spread",
        (Lang::En, ReportMsg::NoTree) => "No cascade to draw for this campaign.",
        (Lang::En, ReportMsg::ColValue) => "Value",
        (Lang::En, ReportMsg::ColShown) => "As shown",
        (Lang::En, ReportMsg::ColInterval) => "95% interval",
        (Lang::Zh, ReportMsg::AsOf) => "数据截至",
        (Lang::Zh, ReportMsg::Continued) => "（续）",
        (Lang::Zh, ReportMsg::MadeWith) => "由口碑传播分析生成",
        (Lang::Zh, ReportMsg::TreeTitle) => "一条帖子的传播树",
        (Lang::Zh, ReportMsg::NoTree) => "该活动没有可绘制的传播链。",
        (Lang::Zh, ReportMsg::ColValue) => "数值",
        (Lang::Zh, ReportMsg::ColShown) => "显示值",
        (Lang::Zh, ReportMsg::ColInterval) => "95% 区间",
    }
}

/// "Page 2 of 5" / "第 2 / 5 页".
pub fn page_of(lang: Lang, page: usize, pages: usize) -> String {
    match lang {
        Lang::En => format!("Page {page} of {pages}"),
        Lang::Zh => format!("第 {page} / {pages} 页"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_say_every_report_word() {
        for m in ReportMsg::ALL {
            let (en, zh) = (report_text(Lang::En, m), report_text(Lang::Zh, m));
            assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{m:?}");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{m:?}"
            );
        }
        assert_eq!(page_of(Lang::Zh, 2, 5), "第 2 / 5 页");
    }
}
