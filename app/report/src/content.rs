//! From a definition and the campaign's numbers to what the pages show: a
//! head (title, what and when) and a list of blocks — cards, charts, tables
//! — in the definition's panel order. No layout here, and no arithmetic
//! beyond what `analytics` already does for the dashboard.

use crate::labelled;
use analytics::Lang;
use analytics::date::Date;
use analytics::format;
use analytics::funnel::{self, DEFAULT_WINDOW_S, FunnelRow};
use analytics::hll::DaySketch;
use analytics::listening::{self, Spike, SpikeRule};
use analytics::overview::{self, TrendMetric};
use analytics::reach;
use analytics::report::{Branding, PageFormat, PanelKind, ReportDefinition};
use analytics::selection::Filter;
use analytics::wire::{
    AccountDay, CampaignSummary, CascadeSummary, ChannelDay, MentionDrivers, MentionHour,
    OutlookState,
};
use charts::export::AnyChart;
use i18n::{
    Msg, ReportMsg, STEP_NAMES, channel_label, channel_name, filter_words, kpi_label, report_text,
    t,
};

/// Rows of the cascade table a report prints.
pub const TOP_CASCADES: usize = 10;
/// Rows of the accounts table.
pub const TOP_ACCOUNTS: usize = 15;
/// Accounts a spike's drivers table names.
pub const DRIVERS: u32 = 8;
/// Accounts in the overlap matrix (beyond that it is unreadable on paper).
pub const MATRIX_ACCOUNTS: usize = 8;

/// Every number a report can show, as the API serves it: the server reads
/// these from its database, the builder's preview from the API.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub summary: CampaignSummary,
    pub days: Vec<ChannelDay>,
    pub sketches: Vec<DaySketch>,
    pub accounts: Vec<AccountDay>,
    /// The funnel by channel, every window.
    pub funnel: Vec<FunnelRow>,
    /// The largest cascades, largest first.
    pub cascades: Vec<CascadeSummary>,
    /// Mentions per hour: the campaign's brand first, then the competitors
    /// the reader may see (name, whether a competitor, hours).
    pub mentions: Vec<(String, bool, Vec<MentionHour>)>,
    /// What drove the largest spike, when there is one.
    pub drivers: Option<(Spike, MentionDrivers)>,
    /// The tree pictures the report's tree panels show.
    pub trees: Vec<TreePicture>,
    /// When the numbers were read, Unix seconds.
    pub as_of: i64,
}

/// A raster picture, as an embedded `data:` URI, and its size in CSS pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub href: String,
    pub width: u32,
    pub height: u32,
}

/// One cascade's tree as a picture (drawn by the `raster` crate, as the
/// explorer draws it), and what it is of.
#[derive(Debug, Clone, PartialEq)]
pub struct TreePicture {
    /// The original post's id.
    pub root: String,
    pub author: String,
    pub channel: analytics::wire::Channel,
    /// Posts in the cascade.
    pub size: u64,
    pub depth: u32,
    pub picture: Picture,
}

/// `png` as the `data:image/png;base64,…` URI a page embeds it by.
pub fn png_href(png: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(22 + png.len().div_ceil(3) * 4);
    out.push_str("data:image/png;base64,");
    for chunk in png.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The size, in CSS pixels, a tree picture is drawn at for `page`.
pub fn tree_picture_size(page: PageFormat) -> (u32, u32) {
    match page {
        PageFormat::A4Portrait => (698, 520),
        PageFormat::A4Landscape => (1027, 520),
        PageFormat::Slide16x9 => (1200, 520),
    }
}

/// One KPI card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub label: String,
    pub value: String,
    pub note: Option<String>,
}

/// A table column: its heading, whether it holds numbers (right-aligned)
/// and its share of the width.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    pub numeric: bool,
    pub weight: f64,
}

/// A table, which may run over several pages (its heading repeats).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// A line under the table.
    pub note: Option<String>,
}

/// One thing on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Cards {
        title: String,
        cards: Vec<Card>,
    },
    Chart(AnyChart),
    Table(Table),
    /// A titled line of text (e.g. what an empty panel would have shown).
    Note {
        title: String,
        text: String,
    },
    /// A titled picture with a line under it.
    Picture {
        title: String,
        picture: Picture,
        caption: String,
    },
}

/// Everything a report prints, before layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub lang: Lang,
    pub page: PageFormat,
    pub title: String,
    /// Campaign · brand · dates · filters.
    pub subtitle: String,
    /// "Data as of 2026-12-01 17:20 UTC+08:00", on every page.
    pub as_of: String,
    pub branding: Branding,
    pub blocks: Vec<Block>,
}

fn col(label: &str, numeric: bool, weight: f64) -> Column {
    Column {
        label: label.to_string(),
        numeric,
        weight,
    }
}

/// The dashboard's filter for a report's filter state (its days, read by
/// [`ReportDefinition::check`] before the report was stored).
pub fn filter_of(def: &ReportDefinition) -> Filter {
    let f = &def.filter;
    Filter {
        from: f.from.as_deref().and_then(Date::parse),
        to: f.to.as_deref().and_then(Date::parse),
        channels: f.channels.clone(),
        exclude_suspect: f.exclude_suspect,
    }
}

/// `2026-12-01 17:20 UTC+08:00` in the zone `offset` seconds east of UTC.
pub fn timestamp(unix: i64, offset: i32) -> String {
    let local = unix + i64::from(offset);
    let minutes = local.rem_euclid(86_400) / 60;
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.unsigned_abs() / 60;
    format!(
        "{} {:02}:{:02} UTC{sign}{:02}:{:02}",
        Date::from_unix(unix, offset),
        minutes / 60,
        minutes % 60,
        off / 60,
        off % 60
    )
}

/// What the report shows, panel by panel.
pub fn content(def: &ReportDefinition, data: &ReportData) -> Content {
    let l = def.lang;
    let filter = filter_of(def);
    let c = &data.summary.campaign;
    let first = filter.from.or(Date::parse(&c.start_date));
    let last = filter.to.or(Date::parse(&c.end_date));
    let mut head = vec![c.name.clone(), c.brand.name.clone()];
    if let (Some(a), Some(b)) = (first, last) {
        head.push(format::date_range(a, b, l));
    }
    let words = filter_words(&filter, l);
    if !words.is_empty() {
        head.push(words);
    }
    let offset = c.workspace.utc_offset_s;
    let mut blocks = Vec::new();
    for panel in &def.panels {
        match panel.kind {
            PanelKind::Kpis => blocks.push(kpis(data, &filter, l)),
            PanelKind::Reach => blocks.push(Block::Chart(
                labelled::reach_chart(&data.summary, &data.days, &data.sketches, &filter, l).into(),
            )),
            PanelKind::Trends => blocks.push(Block::Chart(
                labelled::trends_chart(
                    &data.summary,
                    &data.days,
                    &filter,
                    TrendMetric::Impressions,
                    l,
                )
                .into(),
            )),
            PanelKind::Sources => {
                let view = reach::reach_view(
                    &data.accounts,
                    &data.sketches,
                    &filter,
                    &def.filter.accounts,
                );
                blocks.push(Block::Chart(labelled::sources_chart(&view, l).into()));
            }
            PanelKind::Accounts => blocks.extend(accounts(data, def, &filter, l)),
            PanelKind::Funnel => blocks.extend(funnel(data, &filter, l)),
            PanelKind::Cascades => blocks.push(cascades(data, offset, l)),
            PanelKind::Tree => blocks.push(tree(data, panel.cascade.as_deref(), l)),
            PanelKind::Listening => blocks.extend(listening(data, offset, l)),
        }
    }
    Content {
        lang: l,
        page: def.page,
        title: def.title.clone(),
        subtitle: head.join(" · "),
        as_of: format!(
            "{} {}",
            report_text(l, ReportMsg::AsOf),
            timestamp(data.as_of, offset)
        ),
        branding: def.branding.clone(),
        blocks,
    }
}

/// The tree panel: the named cascade's picture, or the largest one's.
fn tree(data: &ReportData, root: Option<&str>, l: Lang) -> Block {
    let shown = match root {
        Some(r) => data.trees.iter().find(|p| p.root == r),
        // The largest, ties to the greatest root id: the cascade list's first.
        None => data
            .trees
            .iter()
            .max_by(|a, b| a.size.cmp(&b.size).then_with(|| a.root.cmp(&b.root))),
    };
    let title = report_text(l, ReportMsg::TreeTitle).to_string();
    match shown {
        None => Block::Note {
            title,
            text: report_text(l, ReportMsg::NoTree).into(),
        },
        Some(pic) => Block::Picture {
            title: format!("{title} · @{}", pic.author),
            picture: pic.picture.clone(),
            caption: format!(
                "{} · {} {} · {} {}",
                channel_name(l, pic.channel),
                t(l, Msg::ColSize),
                format::count(pic.size),
                t(l, Msg::ColDepth),
                pic.depth
            ),
        },
    }
}

fn kpis(data: &ReportData, filter: &Filter, l: Lang) -> Block {
    let cards = overview::selection_cards(&data.summary, &data.days, &data.sketches, filter);
    Block::Cards {
        title: t(l, Msg::KeyFigures).into(),
        cards: cards
            .into_iter()
            .map(|k| Card {
                label: kpi_label(l, k.key).into(),
                value: k.display,
                note: k.interval,
            })
            .collect(),
    }
}

fn accounts(data: &ReportData, def: &ReportDefinition, filter: &Filter, l: Lang) -> Vec<Block> {
    let view = reach::reach_view(&data.accounts, &data.sketches, filter, &def.filter.accounts);
    let name = |a: &reach::AccountReach| {
        if a.account.is_empty() {
            t(l, Msg::EarnedAccounts).to_string()
        } else {
            a.handle.clone()
        }
    };
    let list = Table {
        title: t(l, Msg::AccountsTitle).into(),
        columns: vec![
            col(t(l, Msg::ColAccount), false, 2.2),
            col(t(l, Msg::ColChannel), false, 1.0),
            col(t(l, Msg::ColSource), false, 1.2),
            col(t(l, Msg::ColImpressions), true, 1.2),
            col(t(l, Msg::ColReach), true, 1.6),
            col(t(l, Msg::ColNewFans), true, 1.0),
        ],
        rows: view
            .accounts
            .iter()
            .take(TOP_ACCOUNTS)
            .map(|a| {
                vec![
                    name(a),
                    channel_label(l, &a.channel),
                    t(l, i18n::source_name(a.source)).into(),
                    format::count(a.counters.impressions),
                    a.reach.text(),
                    format::count(a.counters.new_fans),
                ]
            })
            .collect(),
        note: None,
    };
    let m = &view.matrix;
    let shown = m.accounts.len().min(MATRIX_ACCOUNTS);
    if shown == 0 {
        return vec![
            Block::Table(list),
            Block::Note {
                title: t(l, Msg::MatrixTitle).into(),
                text: t(l, Msg::MatrixEmpty).into(),
            },
        ];
    }
    let mut columns = vec![col(t(l, Msg::ColAccount), false, 2.0)];
    columns.extend(
        m.accounts[..shown]
            .iter()
            .map(|a| col(&a.handle, true, 1.0)),
    );
    let matrix = Table {
        title: t(l, Msg::MatrixTitle).into(),
        columns,
        rows: (0..shown)
            .map(|i| {
                let mut row = vec![format!(
                    "{} · {}",
                    m.accounts[i].handle,
                    channel_label(l, &m.accounts[i].channel)
                )];
                row.extend((0..shown).map(|j| format::count(m.shared[i][j].round() as u64)));
                row
            })
            .collect(),
        note: Some(format!(
            "{}: {} · {}: {}",
            t(l, Msg::MatrixUnion),
            m.union.text(),
            t(l, Msg::MatrixSum),
            format::count(m.sum.round() as u64)
        )),
    };
    vec![Block::Table(list), Block::Table(matrix)]
}

fn funnel(data: &ReportData, filter: &Filter, l: Lang) -> Vec<Block> {
    let rows: Vec<FunnelRow> = data
        .funnel
        .iter()
        .filter(|r| {
            filter.channels.is_empty()
                || analytics::wire::Channel::parse(&r.key)
                    .is_some_and(|c| filter.channels.contains(&c))
        })
        .cloned()
        .collect();
    let (total, by_channel) = funnel::for_window(&rows, DEFAULT_WINDOW_S, filter.exclude_suspect);
    if total.steps[0] == 0 {
        return vec![Block::Note {
            title: t(l, Msg::FunnelTitle).into(),
            text: t(l, Msg::FunnelEmpty).into(),
        }];
    }
    let steps = Table {
        title: format!(
            "{} · {} {}",
            t(l, Msg::FunnelTitle),
            t(l, Msg::ConversionWindow),
            funnel::window_label(DEFAULT_WINDOW_S)
        ),
        columns: vec![
            col(t(l, Msg::ColStep), false, 1.6),
            col(t(l, Msg::ColUsers), true, 1.0),
            col(t(l, Msg::ColStepRate), true, 1.8),
            col(t(l, Msg::ColOverallRate), true, 1.8),
        ],
        rows: STEP_NAMES
            .iter()
            .enumerate()
            .map(|(i, m)| {
                vec![
                    t(l, *m).into(),
                    format::count(total.steps[i]),
                    format::rate(total.step_rate(i)),
                    format::rate(total.overall_rate(i)),
                ]
            })
            .collect(),
        note: None,
    };
    let mut columns = vec![col(t(l, Msg::ColChannel), false, 1.2)];
    columns.extend(STEP_NAMES.iter().map(|m| col(t(l, *m), true, 1.0)));
    columns.push(col(t(l, Msg::ColOverallRate), true, 1.8));
    let split = Table {
        title: format!("{} · {}", t(l, Msg::FunnelSplit), t(l, Msg::ByChannel)),
        columns,
        rows: by_channel
            .iter()
            .map(|c| {
                let mut row = vec![channel_label(l, &c.key)];
                row.extend(c.steps.iter().map(|n| format::count(*n)));
                row.push(format::rate(c.overall_rate(3)));
                row
            })
            .collect(),
        note: None,
    };
    vec![Block::Table(steps), Block::Table(split)]
}

/// A cascade's final size as the dashboard's table writes it.
fn outlook_text(c: &CascadeSummary, l: Lang) -> String {
    let o = &c.prediction;
    let n = format::count(o.estimate.round() as u64);
    match o.state {
        OutlookState::Finished => format!("{n} · {}", t(l, Msg::OutlookFinished)),
        OutlookState::TooEarly => t(l, Msg::OutlookTooEarly).into(),
        OutlookState::Growing => match (o.low80, o.high80) {
            (Some(a), Some(b)) => format!(
                "{n} [{}–{}]",
                format::count(a.round() as u64),
                format::count(b.round() as u64)
            ),
            _ => n,
        },
    }
}

fn cascades(data: &ReportData, offset: i32, l: Lang) -> Block {
    if data.cascades.is_empty() {
        return Block::Note {
            title: t(l, Msg::CascadesTitle).into(),
            text: t(l, Msg::CascadesEmpty).into(),
        };
    }
    Block::Table(Table {
        title: t(l, Msg::CascadesTitle).into(),
        columns: vec![
            col(t(l, Msg::ColAuthor), false, 1.8),
            col(t(l, Msg::ColChannel), false, 0.9),
            col(t(l, Msg::ColPosted), false, 1.3),
            col(t(l, Msg::ColSize), true, 0.9),
            col(t(l, Msg::ColDepth), true, 0.7),
            col(t(l, Msg::ColVirality), true, 1.0),
            col(t(l, Msg::ColPredicted), true, 1.9),
        ],
        rows: data
            .cascades
            .iter()
            .take(TOP_CASCADES)
            .map(|c| {
                vec![
                    format!("@{}", c.author),
                    channel_name(l, c.channel).into(),
                    format::day_hour(c.posted_at, offset, l),
                    format::count(c.size),
                    c.depth.to_string(),
                    c.structural_virality
                        .map(|v| format!("{v:.2}"))
                        .unwrap_or_else(|| "–".into()),
                    outlook_text(c, l),
                ]
            })
            .collect(),
        note: None,
    })
}

fn listening(data: &ReportData, offset: i32, l: Lang) -> Vec<Block> {
    let Some((_, _, hours)) = data.mentions.first() else {
        return vec![Block::Note {
            title: t(l, Msg::ListeningTitle).into(),
            text: t(l, Msg::ListeningEmpty).into(),
        }];
    };
    if hours.iter().all(|h| h.mentions == 0) {
        return vec![Block::Note {
            title: t(l, Msg::ListeningTitle).into(),
            text: t(l, Msg::ListeningEmpty).into(),
        }];
    }
    let spikes = listening::spikes(hours, &SpikeRule::default());
    let mut out = vec![Block::Chart(
        labelled::mentions_chart(&data.mentions, &spikes, offset, l).into(),
    )];
    if spikes.is_empty() {
        out.push(Block::Note {
            title: t(l, Msg::SpikesTitle).into(),
            text: t(l, Msg::NoSpikes).into(),
        });
        return out;
    }
    out.push(Block::Table(Table {
        title: t(l, Msg::SpikesTitle).into(),
        columns: vec![
            col(t(l, Msg::ColStart), false, 1.4),
            col(t(l, Msg::ColEnd), false, 1.4),
            col(t(l, Msg::ColMentions), true, 1.0),
            col(t(l, Msg::ColPeak), true, 1.0),
            col(t(l, Msg::ColBaseline), true, 1.2),
            col(t(l, Msg::ColScore), true, 1.0),
        ],
        rows: spikes
            .iter()
            .map(|s| {
                vec![
                    format::day_hour(s.start, offset, l),
                    format::day_hour(s.end, offset, l),
                    format::count(s.mentions),
                    format::count(s.peak),
                    format!("{:.1}", s.baseline),
                    format!("{:.1}", s.score),
                ]
            })
            .collect(),
        note: None,
    }));
    if let Some((spike, d)) = &data.drivers {
        out.push(Block::Table(Table {
            title: format!(
                "{} · {}",
                t(l, Msg::TopAuthors),
                format::day_hour(spike.start, offset, l)
            ),
            columns: vec![
                col(t(l, Msg::NodeAccount), false, 2.0),
                col(t(l, Msg::ColChannel), false, 1.0),
                col(t(l, Msg::ColMentions), true, 1.0),
                col(t(l, Msg::ColFollowers), true, 1.2),
            ],
            rows: d
                .top_authors
                .iter()
                .map(|a| {
                    vec![
                        format!("@{}", a.handle),
                        channel_label(l, &a.channel),
                        format::count(a.mentions),
                        format::count(a.followers),
                    ]
                })
                .collect(),
            note: None,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::png_href;
    use base64::Engine;

    #[test]
    fn png_hrefs_are_standard_padded_base64() {
        let b64 = |s: &[u8]| png_href(s)["data:image/png;base64,".len()..].to_string();
        assert_eq!(b64(b""), "");
        assert_eq!(b64(b"f"), "Zg==");
        assert_eq!(b64(b"fo"), "Zm8=");
        assert_eq!(b64(b"foo"), "Zm9v");
        let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        assert_eq!(
            b64(&bytes),
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        );
    }
}
