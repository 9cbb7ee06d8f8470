//! The JSON shapes of the HTTP API, shared by the server (which writes them)
//! and the app (which reads them). Changing a field here changes the API.

use serde::{Deserialize, Serialize};

/// A social platform. Users are identified per channel: the same person on
/// two channels is two users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Weibo,
    Wechat,
    Douyin,
    Xiaohongshu,
    X,
    Facebook,
}

impl Channel {
    /// Every channel, in display order.
    pub const ALL: [Channel; 6] = [
        Channel::Weibo,
        Channel::Wechat,
        Channel::Douyin,
        Channel::Xiaohongshu,
        Channel::X,
        Channel::Facebook,
    ];

    /// The stable identifier used in the API and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Weibo => "weibo",
            Channel::Wechat => "wechat",
            Channel::Douyin => "douyin",
            Channel::Xiaohongshu => "xiaohongshu",
            Channel::X => "x",
            Channel::Facebook => "facebook",
        }
    }

    /// Parses the identifier written by [`Channel::as_str`].
    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
    pub database: String,
}

/// `GET /api/v1/me`: the signed-in person and where they may look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub email: String,
    pub name: String,
    /// Every workspace they belong to, by slug.
    pub workspaces: Vec<Membership>,
}

/// One workspace of [`Me`] and the role held there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub slug: String,
    pub name: String,
    /// owner, analyst, viewer or client.
    pub role: String,
    /// The client's brand (role client only): the only brand they see.
    pub brand: Option<i64>,
}

/// The workspace (agency or brand team) a campaign belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceRef {
    pub slug: String,
    pub name: String,
    /// IANA time zone that sets the day boundaries of every daily figure.
    pub timezone: String,
    /// The zone's offset from UTC (seconds) at noon of the campaign's first
    /// day: what the browser uses to label hours.
    #[serde(default)]
    pub utc_offset_s: i32,
}

/// A client brand (or a tracked competitor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandRef {
    pub id: i64,
    pub name: String,
    pub competitor: bool,
}

/// One campaign as `GET /api/v1/campaigns` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    /// Positive integer id, used in every campaign URL.
    pub id: i64,
    pub name: String,
    pub workspace: WorkspaceRef,
    pub brand: BrandRef,
    pub channels: Vec<Channel>,
    /// First day, `YYYY-MM-DD` in the workspace's time zone.
    pub start_date: String,
    /// Last day (inclusive), `YYYY-MM-DD` in the workspace's time zone.
    pub end_date: String,
    /// Budget in minor units (fen for CNY), when the campaign has one.
    pub budget_cents: Option<i64>,
    /// ISO 4217 code of the budget and of conversion values.
    pub currency: String,
    /// The campaign's tracked keywords (hashtags, slogans).
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// Campaign totals. Every count is over raw events of the campaign.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kpis {
    /// All exposures, not deduplicated.
    pub impressions: u64,
    /// Distinct (channel, user) pairs exposed.
    pub unique_reach: u64,
    /// Likes, comments, reposts and clicks.
    pub engagements: u64,
    /// Original posts of the campaign (cascade roots).
    pub posts: u64,
    /// Posts that repost another post.
    pub reposts: u64,
    /// Follow events of the brand's owned accounts.
    pub new_fans: u64,
    /// Unfollow events of the brand's owned accounts.
    pub unfollows: u64,
    pub conversions: u64,
    /// Sum of conversion values, minor units.
    pub revenue_cents: i64,
    /// Sum of the followers of every account that posted or reposted, not
    /// deduplicated: unique reach's gap to it is the overlap.
    #[serde(default)]
    pub potential_reach: u64,
}

/// One day of a campaign (in the workspace's time zone).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyPoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub impressions: u64,
    /// Users first exposed on this day; their running sum is the unique reach
    /// to date.
    pub new_reach: u64,
    pub engagements: u64,
    pub reposts: u64,
    pub new_fans: u64,
    pub conversions: u64,
    pub revenue_cents: i64,
}

/// `GET /api/v1/campaigns/{id}/summary`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignSummary {
    pub campaign: Campaign,
    pub kpis: Kpis,
    /// The part of `kpis` that suspected accounts made (`analytics::suspect`:
    /// zombie fans' exposures, engagements, follows and conversions; paid
    /// posters' posts): `kpis` minus this is the view without them.
    #[serde(default)]
    pub suspect: Kpis,
    /// Every day from the campaign's start to its end, zeros included.
    pub daily: Vec<DailyPoint>,
    /// The suspected part of each day of `daily` (same dates, same order).
    #[serde(default)]
    pub suspect_daily: Vec<DailyPoint>,
}

/// The body of every error response: `{"error": {"code": ..., "message": ...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, for people (`message`) and programs (`code`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine-readable code such as `not_found` or `bad_request`.
    pub code: String,
    /// One sentence saying what, where and why.
    pub message: String,
    /// For a refused batch: every line at fault, with its field and reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<crate::events::LineError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_identifiers_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(Channel::parse("myspace"), None);
    }

    #[test]
    fn source_names_are_the_wire_names() {
        for s in Source::ALL {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
    }
}

/// One cascade as `GET /api/v1/campaigns/{id}/cascades` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CascadeSummary {
    /// The original post's client id.
    pub root_id: String,
    pub channel: Channel,
    /// The original post's author (handle).
    pub author: String,
    /// When the original was posted, Unix seconds.
    pub posted_at: i64,
    /// Nodes, the original included.
    pub size: u64,
    pub depth: u32,
    /// Mean distance between nodes; `None` for a lone post.
    pub structural_virality: Option<f64>,
    /// Seconds from the original until half of the nodes had arrived.
    pub t50_s: f64,
    /// Its final size, as of when the list was read.
    pub prediction: CascadeOutlook,
    /// Reposts flagged as suspicious amplification by the default detector.
    pub flagged_reposts: u64,
}

/// What can be said of a cascade's final size
/// (`analytics::cascade::prediction`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CascadeOutlook {
    pub state: OutlookState,
    /// The final size: the observed size unless `growing`, then the
    /// forecast's median.
    pub estimate: f64,
    /// `growing` only: how many hours after the original the forecast was
    /// made (the latest horizon the cascade has reached), and its 80% and
    /// 95% intervals (always finite).
    pub horizon_h: Option<f64>,
    pub low80: Option<f64>,
    pub high80: Option<f64>,
    pub low95: Option<f64>,
    pub high95: Option<f64>,
    /// Which parameters a forecast would use for this cascade's channel.
    pub params: PredictionParams,
}

/// Whether a cascade has stopped, is too young to call, or is growing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutlookState {
    /// Nothing new for a day and for at least as long as it was active.
    Finished,
    /// Younger than the first horizon (one hour).
    TooEarly,
    Growing,
}

impl OutlookState {
    /// The name the wire gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            OutlookState::Finished => "finished",
            OutlookState::TooEarly => "too_early",
            OutlookState::Growing => "growing",
        }
    }
}

/// The defaults shipped with the product (fitted on Twitter15), or a fit on
/// the campaign's own finished cascades of the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PredictionParams {
    Defaults,
    Own,
}

impl CascadeOutlook {
    /// The wire form of an outlook of a tree of `size` nodes.
    pub fn of(
        outlook: &crate::cascade::prediction::Outlook,
        size: u64,
        params: PredictionParams,
    ) -> CascadeOutlook {
        use crate::cascade::prediction::Outlook;
        let plain = |state| CascadeOutlook {
            state,
            estimate: size as f64,
            horizon_h: None,
            low80: None,
            high80: None,
            low95: None,
            high95: None,
            params,
        };
        match outlook {
            Outlook::Finished => plain(OutlookState::Finished),
            Outlook::TooEarly => plain(OutlookState::TooEarly),
            Outlook::Growing {
                horizon_h,
                forecast: f,
            } => CascadeOutlook {
                state: OutlookState::Growing,
                estimate: f.estimate,
                horizon_h: Some(*horizon_h),
                low80: Some(f.low80),
                high80: Some(f.high80),
                low95: Some(f.low95),
                high95: Some(f.high95),
                params,
            },
        }
    }
}

/// A page of cascades.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CascadePage {
    /// Cascades matching the filters, over all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub items: Vec<CascadeSummary>,
}

/// The counters every rollup row carries (a day, an hour, or a credited
/// account's day, of one channel and suspect flag). In JSON they sit beside
/// the row's key fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counters {
    /// Exposures, not deduplicated.
    pub impressions: u64,
    /// Users first exposed (in this campaign, on this channel) in this row's
    /// day or hour; always 0 on account rows (an account's unique reach is
    /// the union of its sketches).
    pub new_reach: u64,
    pub engagements: u64,
    pub posts: u64,
    pub reposts: u64,
    pub new_fans: u64,
    pub unfollows: u64,
    pub conversions: u64,
    pub revenue_cents: i64,
    /// Sum of the followers of every account that posted or reposted (not
    /// deduplicated; 曝光量 as Chinese tools report it).
    #[serde(default)]
    pub potential_reach: u64,
}

impl Counters {
    /// Adds `other` to these counters.
    pub fn add(&mut self, other: &Counters) {
        self.impressions += other.impressions;
        self.new_reach += other.new_reach;
        self.engagements += other.engagements;
        self.posts += other.posts;
        self.reposts += other.reposts;
        self.new_fans += other.new_fans;
        self.unfollows += other.unfollows;
        self.conversions += other.conversions;
        self.revenue_cents += other.revenue_cents;
        self.potential_reach += other.potential_reach;
    }
}

/// One day and channel of `GET /api/v1/campaigns/{id}/timeseries`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelDay {
    /// `YYYY-MM-DD` in the workspace's time zone.
    pub date: String,
    pub channel: String,
    /// Whether these are the suspected accounts' counts (each day and
    /// channel has up to two rows; their sum is the total).
    #[serde(default)]
    pub suspect: bool,
    #[serde(flatten)]
    pub counters: Counters,
}

/// One hour and channel of `GET /api/v1/campaigns/{id}/timeseries?grain=hour`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelHour {
    /// Start of the UTC hour, Unix seconds.
    pub hour: i64,
    pub channel: String,
    /// As in [`ChannelDay::suspect`].
    pub suspect: bool,
    #[serde(flatten)]
    pub counters: Counters,
}

/// What kind of account a credited account is: the brand's own, or a KOL
/// (a paid placement); `Earned` is everyone else (word of mouth).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Owned,
    Paid,
    #[default]
    Earned,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Owned, Source::Paid, Source::Earned];

    /// The name the wire gives it (`owned`, `paid`, `earned`).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Owned => "owned",
            Source::Paid => "paid",
            Source::Earned => "earned",
        }
    }
}

/// One day, channel, credited account and suspect flag of
/// `GET /api/v1/campaigns/{id}/accounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountDay {
    /// `YYYY-MM-DD` in the workspace's time zone.
    pub date: String,
    pub channel: String,
    /// The platform id of the owned or KOL account credited (whose post the
    /// events went through, or who was followed); `""` for every other
    /// account (earned).
    pub account: String,
    /// The credited account's handle (`""` for earned).
    #[serde(default)]
    pub handle: String,
    /// Owned (the brand's account), paid (a KOL's) or earned (`account` is `""`).
    #[serde(default)]
    pub source: Source,
    pub suspect: bool,
    #[serde(flatten)]
    pub counters: Counters,
}

/// What went through one post, as `GET /api/v1/campaigns/{id}/posts` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostTotals {
    /// The post's client id.
    pub post: String,
    pub suspect: bool,
    pub impressions: u64,
    pub engagements: u64,
    /// Direct reposts of this post.
    pub reposts: u64,
    pub conversions: u64,
    pub revenue_cents: i64,
}

/// A client brand (or a tracked competitor) as `GET /api/v1/brands` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Brand {
    pub id: i64,
    /// The slug of its workspace.
    pub workspace: String,
    pub name: String,
    pub competitor: bool,
    /// Tracked keywords (listening).
    pub keywords: Vec<String>,
}

/// One hour of `GET /api/v1/brands/{id}/mentions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentionHour {
    /// Start of the hour, Unix seconds.
    pub hour: i64,
    pub mentions: u64,
}

/// One mention post of `GET /api/v1/brands/{id}/mentions/drivers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentionPost {
    pub id: String,
    pub channel: String,
    /// The author's platform id.
    pub author: String,
    /// The author's handle when the account is known, else the platform id.
    pub handle: String,
    pub followers: u64,
    pub text: String,
    /// Unix seconds.
    pub at: i64,
}

/// One author of `GET /api/v1/brands/{id}/mentions/drivers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentionAuthor {
    pub channel: String,
    pub author: String,
    pub handle: String,
    pub followers: u64,
    pub mentions: u64,
}

/// What drove a brand's mentions in a time range: the posts of the
/// best-followed authors, and the authors who mentioned it most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentionDrivers {
    /// Mentions in the range.
    pub mentions: u64,
    /// Distinct authors in the range.
    pub authors: u64,
    /// Posts, best-followed author first, then earliest.
    pub top_posts: Vec<MentionPost>,
    /// Authors, most mentions first, then most followers.
    pub top_authors: Vec<MentionAuthor>,
}
