//! The words of the report builder page only (its form, its buttons), apart
//! from [`crate::Msg`] so the app's first-load module does not carry them.

use analytics::Lang;
use analytics::report::{PageFormat, PanelKind};

/// Declares the builder's message keys and [`BuilderMsg::ALL`] from one list.
macro_rules! builder_messages {
    ($($name:ident),* $(,)?) => {
        /// A builder-only message key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum BuilderMsg {
            $($name),*
        }

        impl BuilderMsg {
            pub const ALL: &'static [BuilderMsg] = &[$(BuilderMsg::$name),*];
        }
    };
}

builder_messages! {
    NewReport,
    NoReports,
    NoReportsHint,
    UntitledReport,
    Title,
    Campaign,
    Language,
    Page,
    From,
    To,
    Channels,
    AllChannels,
    ExcludeSuspect,
    FollowedAccounts,
    Panels,
    AddPanel,
    MoveUp,
    MoveDown,
    Remove,
    CascadeRoot,
    Branding,
    AgencyName,
    Primary,
    Accent,
    Logo,
    RemoveLogo,
    LogoTooLarge,
    LogoNotImage,
    ShowProduct,
    Save,
    Saving,
    Saved,
    Unsaved,
    Delete,
    ConfirmDelete,
    Download,
    SaveToDownload,
    Preview,
    Drawing,
    FontLoading,
    FontFailed,
    NotSaved,
    Edited,
}

/// The text of `msg` in `lang`.
pub fn builder_text(lang: Lang, msg: BuilderMsg) -> &'static str {
    use BuilderMsg as B;
    match lang {
        Lang::En => match msg {
            B::NewReport => "New report",
            B::NoReports => "No saved reports yet",
            B::NoReportsHint => "Open a campaign and choose “Build a report”.",
            B::UntitledReport => "Campaign report",
            B::Title => "Title",
            B::Campaign => "Campaign",
            B::Language => "Language",
            B::Page => "Page",
            B::From => "From",
            B::To => "To",
            B::Channels => "Channels",
            B::AllChannels => "every channel when none is ticked",
            B::ExcludeSuspect => "Leave out suspected accounts",
            B::FollowedAccounts => "Reach follows these accounts only",
            B::Panels => "Panels, in order",
            B::AddPanel => "Add a panel",
            B::MoveUp => "Move up",
            B::MoveDown => "Move down",
            B::Remove => "Remove",
            B::CascadeRoot => "Root post id (empty: the largest cascade)",
            B::Branding => "Branding",
            B::AgencyName => "Agency name",
            B::Primary => "Main colour",
            B::Accent => "Heading colour",
            B::Logo => "Logo (PNG or SVG, at most 200 KB)",
            B::RemoveLogo => "Remove the logo",
            B::LogoTooLarge => "That file is larger than 200 KB.",
            B::LogoNotImage => "A logo must be a PNG or SVG file.",
            B::ShowProduct => "Name this product in the footer",
            B::Save => "Save",
            B::Saving => "Saving…",
            B::Saved => "Saved",
            B::Unsaved => "Unsaved changes",
            B::Delete => "Delete",
            B::ConfirmDelete => "Delete this report? Its link stops working.",
            B::Download => "Download",
            B::SaveToDownload => "Save to download it as PNG, SVG and PDF.",
            B::Preview => "Preview",
            B::Drawing => "Drawing the pages…",
            B::FontLoading => "Loading the report's typeface…",
            B::FontFailed => {
                "The report's typeface could not be loaded: the preview uses the browser's."
            }
            B::NotSaved => "Not saved",
            B::Edited => "Last saved",
        },
        Lang::Zh => match msg {
            B::NewReport => "新建报告",
            B::NoReports => "还没有保存的报告",
            B::NoReportsHint => "打开一个活动，选择“制作报告”。",
            B::UntitledReport => "活动报告",
            B::Title => "标题",
            B::Campaign => "活动",
            B::Language => "语言",
            B::Page => "版式",
            B::From => "开始日期",
            B::To => "结束日期",
            B::Channels => "渠道",
            B::AllChannels => "都不勾选即为全部渠道",
            B::ExcludeSuspect => "排除可疑账号",
            B::FollowedAccounts => "触达只统计这些账号",
            B::Panels => "版块（按顺序）",
            B::AddPanel => "添加版块",
            B::MoveUp => "上移",
            B::MoveDown => "下移",
            B::Remove => "移除",
            B::CascadeRoot => "根帖子 ID（留空为最大的传播链）",
            B::Branding => "品牌",
            B::AgencyName => "代理商名称",
            B::Primary => "主色",
            B::Accent => "标题色",
            B::Logo => "标志（PNG 或 SVG，不超过 200 KB）",
            B::RemoveLogo => "移除标志",
            B::LogoTooLarge => "该文件超过 200 KB。",
            B::LogoNotImage => "标志必须是 PNG 或 SVG 文件。",
            B::ShowProduct => "在页脚注明本产品",
            B::Save => "保存",
            B::Saving => "正在保存…",
            B::Saved => "已保存",
            B::Unsaved => "有未保存的更改",
            B::Delete => "删除",
            B::ConfirmDelete => "删除此报告？它的链接将失效。",
            B::Download => "下载",
            B::SaveToDownload => "保存后即可下载 PNG、SVG 和 PDF。",
            B::Preview => "预览",
            B::Drawing => "正在绘制页面…",
            B::FontLoading => "正在加载报告字体…",
            B::FontFailed => "报告字体未能加载：预览使用浏览器字体。",
            B::NotSaved => "未保存",
            B::Edited => "上次保存",
        },
    }
}

/// A panel's name in the builder's list.
pub fn panel_name(lang: Lang, kind: PanelKind) -> &'static str {
    match (lang, kind) {
        (Lang::En, PanelKind::Kpis) => "Key figures",
        (Lang::En, PanelKind::Reach) => "Reach over time",
        (Lang::En, PanelKind::Trends) => "Trends by channel",
        (Lang::En, PanelKind::Sources) => "Owned, paid and earned",
        (Lang::En, PanelKind::Accounts) => "Official accounts",
        (Lang::En, PanelKind::Funnel) => "Fan funnel",
        (Lang::En, PanelKind::Cascades) => "Top cascades",
        (Lang::En, PanelKind::Tree) => "A cascade's tree",
        (Lang::En, PanelKind::Listening) => "Listening and spikes",
        (Lang::Zh, PanelKind::Kpis) => "关键指标",
        (Lang::Zh, PanelKind::Reach) => "触达趋势",
        (Lang::Zh, PanelKind::Trends) => "分渠道趋势",
        (Lang::Zh, PanelKind::Sources) => "自有、付费与赢得",
        (Lang::Zh, PanelKind::Accounts) => "官方账号",
        (Lang::Zh, PanelKind::Funnel) => "粉丝转化漏斗",
        (Lang::Zh, PanelKind::Cascades) => "主要传播链",
        (Lang::Zh, PanelKind::Tree) => "传播树",
        (Lang::Zh, PanelKind::Listening) => "舆情与峰值",
    }
}

/// A page format's name.
pub fn page_name(lang: Lang, page: PageFormat) -> &'static str {
    match (lang, page) {
        (Lang::En, PageFormat::A4Portrait) => "A4 portrait",
        (Lang::En, PageFormat::A4Landscape) => "A4 landscape",
        (Lang::En, PageFormat::Slide16x9) => "16:9 slides",
        (Lang::Zh, PageFormat::A4Portrait) => "A4 纵向",
        (Lang::Zh, PageFormat::A4Landscape) => "A4 横向",
        (Lang::Zh, PageFormat::Slide16x9) => "16:9 幻灯片",
    }
}

/// "5 pages" / "共 5 页".
pub fn page_count(lang: Lang, pages: usize) -> String {
    match (lang, pages) {
        (Lang::En, 1) => "1 page".into(),
        (Lang::En, n) => format!("{n} pages"),
        (Lang::Zh, n) => format!("共 {n} 页"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_say_every_builder_word() {
        let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for &m in BuilderMsg::ALL {
            let (en, zh) = (builder_text(Lang::En, m), builder_text(Lang::Zh, m));
            assert!(!en.is_empty() && en != zh && han(zh), "{m:?}");
        }
        for k in PanelKind::ALL {
            assert!(han(panel_name(Lang::Zh, k)) && !han(panel_name(Lang::En, k)));
        }
        for p in PageFormat::ALL {
            assert_ne!(page_name(Lang::En, p), page_name(Lang::Zh, p));
        }
        assert_eq!(page_count(Lang::Zh, 3), "共 3 页");
        assert_eq!(page_count(Lang::En, 1), "1 page");
    }
}
