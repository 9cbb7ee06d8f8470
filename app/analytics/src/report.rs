//! Saved reports: what a report *is* — a campaign, a filter state, an
//! ordered list of panels, a title, a language, a page format and the
//! agency's branding — as the API stores and sends it, and the checks a
//! definition must pass before it is stored.
//!
//! Gathering a report's numbers is the server's (or the builder page's)
//! job, laying it out into pages is the `report` crate's; this module only
//! says what may be asked for.

use crate::date::Date;
use crate::format::Lang;
use crate::wire::Channel;
use serde::{Deserialize, Serialize};

/// Longest title, brand name and panel note, in characters. Longer text is
/// refused on save (a 10 KB campaign name, which comes from the data, is
/// drawn truncated with an ellipsis instead).
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BRAND_CHARS: usize = 100;
/// Most panels in one report: each is drawn on every render.
pub const MAX_PANELS: usize = 24;
/// Most accounts a report's filter may name.
pub const MAX_ACCOUNTS: usize = 50;
/// Largest logo, in bytes of the uploaded file (PNG or SVG).
pub const MAX_LOGO_BYTES: usize = 200 * 1024;

/// The paper or screen a report is laid out for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PageFormat {
    #[default]
    A4Portrait,
    A4Landscape,
    /// A 16:9 slide, for pasting into a deck.
    Slide16x9,
}

impl PageFormat {
    pub const ALL: [PageFormat; 3] = [
        PageFormat::A4Portrait,
        PageFormat::A4Landscape,
        PageFormat::Slide16x9,
    ];

    /// The page in CSS pixels (1/96 inch): what the SVG's user units are.
    pub fn size_px(self) -> (u32, u32) {
        match self {
            PageFormat::A4Portrait => (794, 1123),
            PageFormat::A4Landscape => (1123, 794),
            PageFormat::Slide16x9 => (1280, 720),
        }
    }

    /// The page in PDF points (1/72 inch).
    pub fn size_pt(self) -> (f32, f32) {
        let (w, h) = self.size_px();
        (w as f32 * 0.75, h as f32 * 0.75)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PageFormat::A4Portrait => "a4_portrait",
            PageFormat::A4Landscape => "a4_landscape",
            PageFormat::Slide16x9 => "slide_16x9",
        }
    }
}

/// What one panel of a report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PanelKind {
    /// The KPI cards.
    Kpis,
    /// Reach over time.
    Reach,
    /// Trends by channel (impressions).
    Trends,
    /// Owned, paid and earned.
    Sources,
    /// The official accounts and their overlap matrix.
    Accounts,
    /// The fan funnel and its split by channel.
    Funnel,
    /// The largest word-of-mouth cascades.
    Cascades,
    /// One cascade's tree picture (the largest, unless the panel names one).
    Tree,
    /// Listening: mentions per hour and the spikes' drivers.
    Listening,
}

impl PanelKind {
    pub const ALL: [PanelKind; 9] = [
        PanelKind::Kpis,
        PanelKind::Reach,
        PanelKind::Trends,
        PanelKind::Sources,
        PanelKind::Accounts,
        PanelKind::Funnel,
        PanelKind::Cascades,
        PanelKind::Tree,
        PanelKind::Listening,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PanelKind::Kpis => "kpis",
            PanelKind::Reach => "reach",
            PanelKind::Trends => "trends",
            PanelKind::Sources => "sources",
            PanelKind::Accounts => "accounts",
            PanelKind::Funnel => "funnel",
            PanelKind::Cascades => "cascades",
            PanelKind::Tree => "tree",
            PanelKind::Listening => "listening",
        }
    }
}

/// One panel: its kind and, for a tree, which cascade (its root post's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Panel {
    pub kind: PanelKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cascade: Option<String>,
}

impl Panel {
    pub fn of(kind: PanelKind) -> Panel {
        Panel {
            kind,
            cascade: None,
        }
    }
}

/// The filter state a report is drawn for: the dashboard's own filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportFilter {
    /// First day, `YYYY-MM-DD` (workspace time zone); none: the campaign's first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day, inclusive; none: the campaign's last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Channels shown; empty: every channel.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Accounts the reach figures follow (`channel:account id` tokens, as
    /// the dashboard's `acct` parameter); empty: every account.
    #[serde(default)]
    pub accounts: Vec<String>,
    /// Leave out what suspected accounts did.
    #[serde(default)]
    pub exclude_suspect: bool,
}

/// The agency's branding. White-label by default: nothing in a report
/// names this product unless `show_product` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// The agency's name, printed on every page.
    pub name: String,
    /// The header rule and title colour, `#rrggbb`.
    #[serde(default = "default_primary")]
    pub primary: String,
    /// Table headings' colour, `#rrggbb`.
    #[serde(default = "default_accent")]
    pub accent: String,
    /// The logo as a `data:image/png;base64,…` or `data:image/svg+xml;base64,…`
    /// URI. The server stores an SVG logo only after sanitising it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Print "made with" this product in the footer.
    #[serde(default)]
    pub show_product: bool,
}

fn default_primary() -> String {
    "#1d4ed8".into()
}

fn default_accent() -> String {
    "#0f172a".into()
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            name: String::new(),
            primary: default_primary(),
            accent: default_accent(),
            logo: None,
            show_product: false,
        }
    }
}

/// A report definition, as `POST`/`PUT /api/v1/reports` take it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportDefinition {
    pub title: String,
    pub campaign_id: i64,
    #[serde(default)]
    pub lang: Lang,
    #[serde(default)]
    pub page: PageFormat,
    #[serde(default)]
    pub filter: ReportFilter,
    pub panels: Vec<Panel>,
    #[serde(default)]
    pub branding: Branding,
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: i64,
    /// The workspace's slug.
    pub workspace: String,
    /// The campaign's brand (a client sees only their brand's reports).
    pub brand_id: i64,
    pub definition: ReportDefinition,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// Why a definition cannot be stored: the field (a JSON path) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

fn bad(field: impl Into<String>, reason: impl Into<String>) -> DefinitionError {
    DefinitionError {
        field: field.into(),
        reason: reason.into(),
    }
}

/// `#rrggbb` as its three bytes.
pub fn parse_hex_color(s: &str) -> Option<(u8, u8, u8)> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

fn check_length(field: &str, text: &str, max: usize) -> Result<(), DefinitionError> {
    let n = text.chars().count();
    if n > max {
        return Err(bad(
            field,
            format!("is {n} characters long; at most {max} are allowed"),
        ));
    }
    Ok(())
}

impl ReportDefinition {
    /// Checks every field a caller can get wrong; the first problem found.
    /// (Whether the campaign exists, and the logo's content, are the
    /// server's to check.)
    pub fn check(&self) -> Result<(), DefinitionError> {
        if self.title.trim().is_empty() {
            return Err(bad("title", "must not be empty"));
        }
        check_length("title", &self.title, MAX_TITLE_CHARS)?;
        if self.campaign_id <= 0 {
            return Err(bad("campaign_id", "must be a positive campaign id"));
        }
        if self.panels.is_empty() {
            return Err(bad("panels", "a report needs at least one panel"));
        }
        if self.panels.len() > MAX_PANELS {
            return Err(bad(
                "panels",
                format!(
                    "{} panels; at most {MAX_PANELS} are allowed",
                    self.panels.len()
                ),
            ));
        }
        for (i, p) in self.panels.iter().enumerate() {
            match (&p.cascade, p.kind) {
                (Some(_), k) if k != PanelKind::Tree => {
                    return Err(bad(
                        format!("panels[{i}].cascade"),
                        format!("only a tree panel names a cascade, not {}", k.as_str()),
                    ));
                }
                (Some(root), _) if root.is_empty() || root.chars().count() > 200 => {
                    return Err(bad(
                        format!("panels[{i}].cascade"),
                        "must be a post id of 1 to 200 characters",
                    ));
                }
                _ => {}
            }
        }
        let f = &self.filter;
        let day = |field: &str, v: &Option<String>| -> Result<Option<Date>, DefinitionError> {
            match v {
                None => Ok(None),
                Some(s) => Date::parse(s)
                    .map(Some)
                    .ok_or_else(|| bad(field, format!("{s:?} is not a day (YYYY-MM-DD)"))),
            }
        };
        if let (Some(a), Some(b)) = (day("filter.from", &f.from)?, day("filter.to", &f.to)?)
            && a > b
        {
            return Err(bad("filter.to", "is before filter.from"));
        }
        if f.accounts.len() > MAX_ACCOUNTS {
            return Err(bad(
                "filter.accounts",
                format!("at most {MAX_ACCOUNTS} accounts are allowed"),
            ));
        }
        for (i, a) in f.accounts.iter().enumerate() {
            if a.is_empty() || a.len() > 300 || !a.contains(':') {
                return Err(bad(
                    format!("filter.accounts[{i}]"),
                    "must be a `channel:account id` token",
                ));
            }
        }
        let b = &self.branding;
        check_length("branding.name", &b.name, MAX_BRAND_CHARS)?;
        for (field, c) in [
            ("branding.primary", &b.primary),
            ("branding.accent", &b.accent),
        ] {
            if parse_hex_color(c).is_none() {
                return Err(bad(field, format!("{c:?} is not a colour (#rrggbb)")));
            }
        }
        if let Some(logo) = &b.logo {
            // Base64 is 4/3 of the bytes, plus the data URI's head.
            if logo.len() > MAX_LOGO_BYTES * 4 / 3 + 64 {
                return Err(bad(
                    "branding.logo",
                    format!("is larger than {} KB", MAX_LOGO_BYTES / 1024),
                ));
            }
            if !(logo.starts_with("data:image/png;base64,")
                || logo.starts_with("data:image/svg+xml;base64,"))
            {
                return Err(bad(
                    "branding.logo",
                    "must be a data:image/png;base64 or data:image/svg+xml;base64 URI",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> ReportDefinition {
        ReportDefinition {
            title: "月度报告".into(),
            campaign_id: 1,
            lang: Lang::Zh,
            page: PageFormat::A4Portrait,
            filter: ReportFilter::default(),
            panels: vec![Panel::of(PanelKind::Kpis)],
            branding: Branding::default(),
        }
    }

    fn field_of(d: &ReportDefinition) -> String {
        d.check().unwrap_err().field
    }

    #[test]
    fn a_plain_definition_passes_and_round_trips() {
        let d = ok();
        assert_eq!(d.check(), Ok(()));
        let json = serde_json::to_string(&d).unwrap();
        let back: ReportDefinition = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
        // Defaults fill what a caller leaves out.
        let min: ReportDefinition =
            serde_json::from_str(r#"{"title":"t","campaign_id":2,"panels":[{"kind":"reach"}]}"#)
                .unwrap();
        assert_eq!(min.page, PageFormat::A4Portrait);
        assert_eq!(min.branding.primary, "#1d4ed8");
        assert!(!min.branding.show_product);
    }

    #[test]
    fn each_mistake_names_its_field() {
        let mut d = ok();
        d.title = "  ".into();
        assert_eq!(field_of(&d), "title");
        d.title = "长".repeat(MAX_TITLE_CHARS + 1);
        assert!(d.check().unwrap_err().reason.contains("201 characters"));
        let mut d = ok();
        d.panels.clear();
        assert_eq!(field_of(&d), "panels");
        d.panels = vec![Panel::of(PanelKind::Reach); MAX_PANELS + 1];
        assert_eq!(field_of(&d), "panels");
        let mut d = ok();
        d.panels[0].cascade = Some("p1".into());
        assert_eq!(field_of(&d), "panels[0].cascade");
        let mut d = ok();
        d.filter.from = Some("2026-13-01".into());
        assert_eq!(field_of(&d), "filter.from");
        d.filter.from = Some("2026-05-02".into());
        d.filter.to = Some("2026-05-01".into());
        assert_eq!(field_of(&d), "filter.to");
        let mut d = ok();
        d.branding.primary = "red".into();
        assert_eq!(field_of(&d), "branding.primary");
        let mut d = ok();
        d.branding.logo = Some("https://example.com/logo.png".into());
        assert_eq!(field_of(&d), "branding.logo");
        let mut d = ok();
        d.filter.accounts = vec!["nocolon".into()];
        assert_eq!(field_of(&d), "filter.accounts[0]");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let e = serde_json::from_str::<ReportDefinition>(
            r#"{"title":"t","campaign_id":2,"panels":[],"colour":"x"}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
    }

    #[test]
    fn colours_parse() {
        assert_eq!(parse_hex_color("#1D4ed8"), Some((0x1d, 0x4e, 0xd8)));
        assert_eq!(parse_hex_color("1d4ed8"), None);
        assert_eq!(parse_hex_color("#1d4ed"), None);
        assert_eq!(parse_hex_color("#ééé"), None);
    }

    #[test]
    fn page_sizes_match_their_names() {
        let (w, h) = PageFormat::A4Portrait.size_pt();
        assert!(
            (w - 595.5).abs() < 1.0 && (h - 842.25).abs() < 1.0,
            "{w}×{h}"
        );
        let (w, h) = PageFormat::Slide16x9.size_px();
        assert_eq!(w * 9, h * 16);
    }
}
