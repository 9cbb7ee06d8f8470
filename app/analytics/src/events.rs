//! The event format of ingestion, version 1: one JSON object per line
//! (NDJSON), parsed and validated here so that the server, the importer and
//! any client share one definition. A line is either a valid [`NewEvent`] or
//! a [`LineError`] naming the line, the field and the reason.
//!
//! Every event has `kind` and `id` (the client's id, unique within the
//! workspace). Times are RFC 3339 with an offset (`2026-03-01T08:30:00+08:00`,
//! `…Z`). Users are identified per `channel` by the platform's `user_id`.
//!
//! The reference (fields of every kind, how accounts and posts are created
//! and updated, errors and limits) is [`FORMAT_DOC`], with every kind in
//! [`NDJSON_EXAMPLE`] and [`CSV_EXAMPLE`].

use crate::wire::Channel;
use serde::{Deserialize, Serialize};

/// The format's reference, written once: the OpenAPI document serves it as
/// the ingestion body's description, and the README quotes it (a test checks
/// the copy).
pub const FORMAT_DOC: &str = "\
Events, version 1: NDJSON (one JSON object per line, `application/x-ndjson`) or CSV (`text/csv`, \
a header row naming the same fields; cells an event does not use stay empty). Every event has \
`kind` and `id`: your id, unique within the workspace. The same id with the same content again \
is skipped as a duplicate; with other content it is a conflict and is refused, never overwritten. \
Times are RFC 3339 with an offset. Users are identified per `channel` (weibo, wechat, douyin, \
xiaohongshu, x, facebook) by the platform's `user_id`.

| kind | fields (required; optional) |
|---|---|
| `post` | `channel`, `author`, `time`, `campaign`; `root_id`, `parent_id` (the post reposted), `paid` (a paid poster's), `text` |
| `exposure` | `channel`, `user_id`, `post_id`, `time`, `campaign` |
| `engagement` | `channel`, `user_id`, `post_id`, `action` (like, comment, repost, click), `time`, `campaign` |
| `follow`, `unfollow` | `channel`, `user_id`, `account` (the followed account's user id), `time`, `campaign` |
| `conversion` | `channel`, `user_id`, `action` (purchase, signup, coupon), `time`, `campaign`; `value` (major units, e.g. \"89.90\"), `post_id` |
| `mention` | `brand` (the brand's name in the workspace), `channel`, `author`, `time`; `text` |
| `account` | `channel`, `user_id`; `handle`, `followers`, `following`, `posts`, `created_at`, `type` (owned, kol, regular), `verified` |

Accounts: a post's author and a followed account are created on first sight (type regular, \
no profile); an `account` event creates the account or replaces its profile (handle, counts, \
creation time, type, verified). Send `account` events before the activity they describe: \
suspected zombie accounts are judged from the profile stored when an event arrives. Posts are \
stored as they come, by id: a repost may arrive before the post it reposts (trees are built \
when read); a repost without `root_id` hangs under its parent's root.

Errors: a batch with any invalid line is refused whole with 422 and every bad line listed as \
`{\"line\": 3, \"field\": \"time\", \"reason\": \"\\\"2026-03-01 10:00\\\" is not an RFC 3339 time with an offset\"}`; \
ids stored with other content are listed the same way (field `id`). Limits: 16 KiB per line, \
128 characters per id, 4,000 per text, 10,000 events and 8 MiB per request.";

/// Every kind of event once, as NDJSON.
pub const NDJSON_EXAMPLE: &str = r#"{"kind":"account","id":"a1","channel":"weibo","user_id":"brand","handle":"茶语官方","followers":850000,"type":"owned","verified":true}
{"kind":"post","id":"p1","channel":"weibo","author":"brand","time":"2026-03-01T10:00:00+08:00","campaign":1,"text":"春茶上市 🍵"}
{"kind":"post","id":"p2","channel":"weibo","author":"u2","time":"2026-03-01T10:05:00+08:00","campaign":1,"root_id":"p1","parent_id":"p1","paid":true}
{"kind":"exposure","id":"e1","channel":"weibo","user_id":"u3","post_id":"p1","time":"2026-03-01T10:01:00+08:00","campaign":1}
{"kind":"engagement","id":"g1","channel":"weibo","user_id":"u3","post_id":"p1","action":"like","time":"2026-03-01T10:02:00+08:00","campaign":1}
{"kind":"follow","id":"f1","channel":"weibo","user_id":"u3","account":"brand","time":"2026-03-01T10:03:00+08:00","campaign":1}
{"kind":"unfollow","id":"f2","channel":"weibo","user_id":"u3","account":"brand","time":"2026-03-09T10:03:00+08:00","campaign":1}
{"kind":"conversion","id":"c1","channel":"weibo","user_id":"u3","action":"purchase","value":"89.90","post_id":"p1","time":"2026-03-02T10:00:00+08:00","campaign":1}
{"kind":"mention","id":"m1","brand":"茶语","channel":"weibo","author":"u9","time":"2026-03-14T20:05:00+08:00","text":"求官方回应"}
"#;

/// The same events as [`NDJSON_EXAMPLE`], as CSV.
pub const CSV_EXAMPLE: &str = "\
kind,id,channel,user_id,author,post_id,root_id,parent_id,account,action,value,time,campaign,paid,text,brand,handle,followers,type,verified
account,a1,weibo,brand,,,,,,,,,,,,,茶语官方,850000,owned,true
post,p1,weibo,,brand,,,,,,,2026-03-01T10:00:00+08:00,1,,春茶上市 🍵,,,,,
post,p2,weibo,,u2,,p1,p1,,,,2026-03-01T10:05:00+08:00,1,true,,,,,,
exposure,e1,weibo,u3,,p1,,,,,,2026-03-01T10:01:00+08:00,1,,,,,,,
engagement,g1,weibo,u3,,p1,,,,like,,2026-03-01T10:02:00+08:00,1,,,,,,,
follow,f1,weibo,u3,,,,,brand,,,2026-03-01T10:03:00+08:00,1,,,,,,,
unfollow,f2,weibo,u3,,,,,brand,,,2026-03-09T10:03:00+08:00,1,,,,,,,
conversion,c1,weibo,u3,,p1,,,,purchase,89.90,2026-03-02T10:00:00+08:00,1,,,,,,,
mention,m1,weibo,,u9,,,,,,,2026-03-14T20:05:00+08:00,,,求官方回应,茶语,,,,
";

/// Limits on one event line, shared by every ingestion path.
pub const MAX_LINE_BYTES: usize = 16 * 1024;
pub const MAX_ID_CHARS: usize = 128;
pub const MAX_TEXT_CHARS: usize = 4000;

/// One validated event.
#[derive(Debug, Clone, PartialEq)]
pub enum NewEvent {
    Post {
        id: String,
        channel: Channel,
        author: String,
        at_ms: i64,
        campaign: i64,
        root_id: Option<String>,
        parent_id: Option<String>,
        paid: bool,
        text: String,
    },
    Exposure {
        id: String,
        channel: Channel,
        user_id: String,
        post_id: String,
        at_ms: i64,
        campaign: i64,
    },
    Engagement {
        id: String,
        channel: Channel,
        user_id: String,
        post_id: String,
        action: String,
        at_ms: i64,
        campaign: i64,
    },
    Follow {
        id: String,
        channel: Channel,
        user_id: String,
        account: String,
        follow: bool,
        at_ms: i64,
        campaign: i64,
    },
    Conversion {
        id: String,
        channel: Channel,
        user_id: String,
        action: String,
        value_cents: i64,
        post_id: Option<String>,
        at_ms: i64,
        campaign: i64,
    },
    Mention {
        id: String,
        /// The brand's name, as the workspace knows it.
        brand: String,
        channel: Channel,
        author: String,
        text: String,
        at_ms: i64,
    },
    Account {
        id: String,
        channel: Channel,
        user_id: String,
        handle: String,
        followers: i64,
        following: i64,
        posts: i64,
        created_at_ms: Option<i64>,
        account_type: String,
        verified: bool,
    },
}

impl NewEvent {
    /// The client's id.
    pub fn id(&self) -> &str {
        match self {
            NewEvent::Post { id, .. }
            | NewEvent::Exposure { id, .. }
            | NewEvent::Engagement { id, .. }
            | NewEvent::Follow { id, .. }
            | NewEvent::Conversion { id, .. }
            | NewEvent::Mention { id, .. }
            | NewEvent::Account { id, .. } => id,
        }
    }

    /// The campaign the event belongs to (accounts belong to none).
    pub fn campaign(&self) -> Option<i64> {
        match self {
            NewEvent::Post { campaign, .. }
            | NewEvent::Exposure { campaign, .. }
            | NewEvent::Engagement { campaign, .. }
            | NewEvent::Follow { campaign, .. }
            | NewEvent::Conversion { campaign, .. } => Some(*campaign),
            NewEvent::Mention { .. } | NewEvent::Account { .. } => None,
        }
    }

    /// A stable fingerprint of the whole event: the same id with another
    /// fingerprint is a conflict, with the same one a duplicate.
    pub fn fingerprint(&self) -> String {
        format!("{self:?}")
    }
}

/// Why a line was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineError {
    /// 1-based line number in the batch.
    pub line: usize,
    /// The field at fault (`""` for the line as a whole).
    pub field: String,
    pub reason: String,
}

fn err(line: usize, field: &str, reason: impl Into<String>) -> LineError {
    LineError {
        line,
        field: field.into(),
        reason: reason.into(),
    }
}

/// Parses RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`) into Unix
/// milliseconds; an offset is required.
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = crate::date::Date::parse(&s[..10])?;
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let (h, m, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let frac = &s[start..i];
        millis = format!("{:0<3}", &frac[..frac.len().min(3)]).parse().ok()?;
    }
    let offset_min = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let total = oh * 60 + om;
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    let secs = date.to_days() * 86_400 + h * 3600 + m * 60 + sec.min(59) - offset_min * 60;
    Some(secs * 1000 + millis)
}

/// A JSON object's fields, read with line-numbered errors.
struct Fields<'a> {
    line: usize,
    obj: &'a serde_json::Map<String, serde_json::Value>,
}

impl Fields<'_> {
    fn text(&self, field: &str, max: usize) -> Result<Option<String>, LineError> {
        match self.obj.get(field) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) if s.chars().count() > max => Err(err(
                self.line,
                field,
                format!(
                    "is {} characters long; the limit is {max}",
                    s.chars().count()
                ),
            )),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(serde_json::Value::Number(n)) if max == MAX_ID_CHARS => Ok(Some(n.to_string())),
            Some(_) => Err(err(self.line, field, "must be a string")),
        }
    }

    fn required_id(&self, field: &str) -> Result<String, LineError> {
        match self.text(field, MAX_ID_CHARS)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(err(self.line, field, "is required")),
        }
    }

    fn optional_id(&self, field: &str) -> Result<Option<String>, LineError> {
        Ok(self
            .text(field, MAX_ID_CHARS)?
            .filter(|s| !s.trim().is_empty()))
    }

    fn channel(&self) -> Result<Channel, LineError> {
        let c = self.required_id("channel")?;
        Channel::parse(&c).ok_or_else(|| {
            err(
                self.line,
                "channel",
                format!("{c:?} is not one of weibo, wechat, douyin, xiaohongshu, x, facebook"),
            )
        })
    }

    fn time(&self, field: &str, required: bool) -> Result<Option<i64>, LineError> {
        match self.text(field, 64)? {
            None if required => Err(err(
                self.line,
                field,
                "is required (RFC 3339 with an offset, e.g. 2026-03-01T08:30:00+08:00)",
            )),
            None => Ok(None),
            Some(t) => parse_rfc3339_ms(&t).map(Some).ok_or_else(|| {
                err(
                    self.line,
                    field,
                    format!("{t:?} is not an RFC 3339 time with an offset"),
                )
            }),
        }
    }

    fn campaign(&self) -> Result<i64, LineError> {
        match self.obj.get("campaign") {
            Some(serde_json::Value::Number(n)) => n
                .as_i64()
                .filter(|v| *v > 0)
                .ok_or_else(|| err(self.line, "campaign", "must be a positive integer")),
            Some(serde_json::Value::String(s)) => s
                .parse()
                .ok()
                .filter(|v: &i64| *v > 0)
                .ok_or_else(|| err(self.line, "campaign", "must be a positive integer")),
            _ => Err(err(
                self.line,
                "campaign",
                "is required (the campaign's id)",
            )),
        }
    }

    fn count(&self, field: &str) -> Result<i64, LineError> {
        match self.obj.get(field) {
            None | Some(serde_json::Value::Null) => Ok(0),
            Some(v) => v
                .as_i64()
                .filter(|n| *n >= 0)
                .ok_or_else(|| err(self.line, field, "must be a whole number ≥ 0")),
        }
    }

    fn flag(&self, field: &str) -> Result<bool, LineError> {
        match self.obj.get(field) {
            None | Some(serde_json::Value::Null) => Ok(false),
            Some(serde_json::Value::Bool(b)) => Ok(*b),
            Some(_) => Err(err(self.line, field, "must be true or false")),
        }
    }

    fn one_of(&self, field: &str, allowed: &[&str]) -> Result<String, LineError> {
        let v = self.required_id(field)?;
        if allowed.contains(&v.as_str()) {
            Ok(v)
        } else {
            Err(err(
                self.line,
                field,
                format!("{v:?} is not one of {}", allowed.join(", ")),
            ))
        }
    }
}

/// Parses money in major units (`89.9`, `"89.90"`) into minor units.
fn money(line: usize, v: Option<&serde_json::Value>) -> Result<i64, LineError> {
    let text = match v {
        None | Some(serde_json::Value::Null) => return Ok(0),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(_) => return Err(err(line, "value", "must be an amount such as \"89.90\"")),
    };
    let cents = (!text.contains(','))
        .then(|| crate::format::parse_money(&text))
        .flatten();
    cents.ok_or_else(|| {
        err(
            line,
            "value",
            format!("{text:?} is not an amount ≥ 0 with at most two decimals"),
        )
    })
}

/// One line of a batch, by its 1-based number: an event or why not.
pub type ParsedLine = (usize, Result<NewEvent, LineError>);

/// What a batch's lines may leave out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Defaults {
    /// The campaign of events that name none (a file imported into one campaign).
    pub campaign: Option<i64>,
}

/// Parses one NDJSON line (`line` is its 1-based number).
pub fn parse_line(line: usize, text: &str) -> Result<NewEvent, LineError> {
    parse_line_with(line, text, Defaults::default())
}

/// [`parse_line`] with defaults for fields a line leaves out.
pub fn parse_line_with(line: usize, text: &str, defaults: Defaults) -> Result<NewEvent, LineError> {
    if text.len() > MAX_LINE_BYTES {
        return Err(err(
            line,
            "",
            format!(
                "the line is {} bytes; the limit is {MAX_LINE_BYTES}",
                text.len()
            ),
        ));
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| err(line, "", format!("not JSON: {e}")))?;
    parse_value(line, value, defaults)
}

/// Validates one event given as a JSON value.
fn parse_value(
    line: usize,
    mut value: serde_json::Value,
    defaults: Defaults,
) -> Result<NewEvent, LineError> {
    let obj = value
        .as_object_mut()
        .ok_or_else(|| err(line, "", "must be a JSON object"))?;
    let takes_campaign = !matches!(
        obj.get("kind").and_then(|k| k.as_str()),
        Some("account" | "mention")
    );
    if let (Some(c), true) = (defaults.campaign, takes_campaign) {
        match obj.get("campaign") {
            None | Some(serde_json::Value::Null) => {
                obj.insert("campaign".into(), c.into());
            }
            Some(given) if given.as_i64() != Some(c) && given.as_str() != Some(&c.to_string()) => {
                return Err(err(
                    line,
                    "campaign",
                    format!("is {given}, but this import is into campaign {c}"),
                ));
            }
            Some(_) => {}
        }
    }
    let obj = &*obj;
    let f = Fields { line, obj };
    let kind = f.required_id("kind")?;
    let id = f.required_id("id")?;
    let event = match kind.as_str() {
        "post" => NewEvent::Post {
            channel: f.channel()?,
            author: f.required_id("author")?,
            at_ms: f.time("time", true)?.unwrap_or_default(),
            campaign: f.campaign()?,
            root_id: f.optional_id("root_id")?,
            parent_id: f.optional_id("parent_id")?,
            paid: f.flag("paid")?,
            text: f.text("text", MAX_TEXT_CHARS)?.unwrap_or_default(),
            id,
        },
        "exposure" => NewEvent::Exposure {
            channel: f.channel()?,
            user_id: f.required_id("user_id")?,
            post_id: f.required_id("post_id")?,
            at_ms: f.time("time", true)?.unwrap_or_default(),
            campaign: f.campaign()?,
            id,
        },
        "engagement" => NewEvent::Engagement {
            channel: f.channel()?,
            user_id: f.required_id("user_id")?,
            post_id: f.required_id("post_id")?,
            action: f.one_of("action", &["like", "comment", "repost", "click"])?,
            at_ms: f.time("time", true)?.unwrap_or_default(),
            campaign: f.campaign()?,
            id,
        },
        "follow" | "unfollow" => NewEvent::Follow {
            channel: f.channel()?,
            user_id: f.required_id("user_id")?,
            account: f.required_id("account")?,
            follow: kind == "follow",
            at_ms: f.time("time", true)?.unwrap_or_default(),
            campaign: f.campaign()?,
            id,
        },
        "conversion" => NewEvent::Conversion {
            channel: f.channel()?,
            user_id: f.required_id("user_id")?,
            action: f.one_of("action", &["purchase", "signup", "coupon"])?,
            value_cents: money(line, obj.get("value"))?,
            post_id: f.optional_id("post_id")?,
            at_ms: f.time("time", true)?.unwrap_or_default(),
            campaign: f.campaign()?,
            id,
        },
        "account" => NewEvent::Account {
            channel: f.channel()?,
            user_id: f.required_id("user_id")?,
            handle: f.text("handle", MAX_ID_CHARS)?.unwrap_or_default(),
            followers: f.count("followers")?,
            following: f.count("following")?,
            posts: f.count("posts")?,
            created_at_ms: f.time("created_at", false)?,
            account_type: match obj.get("type") {
                None | Some(serde_json::Value::Null) => "regular".into(),
                _ => f.one_of("type", &["owned", "kol", "regular"])?,
            },
            verified: f.flag("verified")?,
            id,
        },
        "mention" => NewEvent::Mention {
            brand: f.required_id("brand")?,
            channel: f.channel()?,
            author: f.required_id("author")?,
            text: f.text("text", MAX_TEXT_CHARS)?.unwrap_or_default(),
            at_ms: f.time("time", true)?.unwrap_or_default(),
            id,
        },
        other => {
            return Err(err(
                line,
                "kind",
                format!(
                    "{other:?} is not one of post, exposure, engagement, follow, unfollow, conversion, mention, account"
                ),
            ));
        }
    };
    Ok(event)
}

/// Parses a whole NDJSON batch: every event, or every error (all of them,
/// so the sender can fix the batch in one go). Blank lines are skipped.
pub fn parse_ndjson(body: &str) -> Result<Vec<(usize, NewEvent)>, Vec<LineError>> {
    collect_batch(ndjson_lines(body, Defaults::default()))
}

/// Every non-blank line of an NDJSON text, parsed on its own.
pub fn ndjson_lines(body: &str, defaults: Defaults) -> Vec<ParsedLine> {
    body.lines()
        .enumerate()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(i, text)| (i + 1, parse_line_with(i + 1, text, defaults)))
        .collect()
}

/// Fields that are numbers or booleans in the JSON form; a CSV cell holds
/// them as text.
const CSV_NUMBERS: [&str; 4] = ["followers", "following", "posts", "campaign"];
const CSV_FLAGS: [&str; 2] = ["paid", "verified"];

/// Parses a CSV batch: a header row naming the same fields as the NDJSON
/// form (`kind,id,channel,…`; columns an event does not use are left
/// empty), then one event per row. Line numbers count the header as line 1.
pub fn parse_csv(body: &str) -> Result<Vec<(usize, NewEvent)>, Vec<LineError>> {
    collect_batch(csv_lines(body, Defaults::default()).map_err(|e| vec![e])?)
}

/// Every row of a CSV text, parsed on its own; `Err` when the header row
/// itself is unusable.
pub fn csv_lines(body: &str, defaults: Defaults) -> Result<Vec<ParsedLine>, LineError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(body.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return Err(err(1, "", format!("the header row is not CSV: {e}"))),
    };
    if !header.iter().any(|h| h == "kind") || !header.iter().any(|h| h == "id") {
        return Err(err(
            1,
            "",
            "the header row must name at least the columns kind and id",
        ));
    }
    let parsed = reader.records().map(|record| {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                return (line, Err(err(line, "", format!("not a CSV row: {e}"))));
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let mut obj = serde_json::Map::new();
        for (name, cell) in header.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = if CSV_NUMBERS.contains(&name.as_str()) {
                cell.trim()
                    .parse::<i64>()
                    .map(serde_json::Value::from)
                    .unwrap_or_else(|_| cell.into())
            } else if CSV_FLAGS.contains(&name.as_str()) {
                match cell.trim() {
                    "true" | "1" => true.into(),
                    "false" | "0" => false.into(),
                    other => other.into(),
                }
            } else {
                cell.into()
            };
            obj.insert(name.clone(), value);
        }
        (
            line,
            parse_value(line, serde_json::Value::Object(obj), defaults),
        )
    });
    Ok(parsed.collect())
}

/// Gathers parsed lines into a batch (each event with its line number),
/// treating an id repeated within the
/// batch as a duplicate (same content) or an error (different content).
pub fn collect_batch(
    parsed: impl IntoIterator<Item = ParsedLine>,
) -> Result<Vec<(usize, NewEvent)>, Vec<LineError>> {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (line, result) in parsed {
        match result {
            Ok(e) => {
                // The same id twice in one batch: a duplicate if equal, else a conflict.
                match seen.get(e.id()) {
                    Some((first, fp)) if *fp != e.fingerprint() => errors.push(err(
                        line,
                        "id",
                        format!(
                            "{:?} also appears on line {first} with different content",
                            e.id()
                        ),
                    )),
                    Some(_) => {}
                    None => {
                        seen.insert(e.id().to_string(), (line, e.fingerprint()));
                        events.push((line, e));
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(events)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339_ms("1970-01-01T08:00:00+08:00"), Some(0));
        assert_eq!(
            parse_rfc3339_ms("2024-05-01T08:30:00.123Z"),
            Some(1_714_552_200_123)
        );
        assert_eq!(
            parse_rfc3339_ms("2024-05-01T08:30:00.1-01:30"),
            Some(1_714_552_200_100 + 5_400_000)
        );
        for bad in [
            "2024-05-01T08:30:00",
            "2024-05-01",
            "2024-02-30T00:00:00Z",
            "2024-05-01T25:00:00Z",
            "2024-05-01T08:30:00+0800",
            "x",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_kind_parses_and_chinese_survives() {
        let batch = r#"
{"kind":"account","id":"a1","channel":"weibo","user_id":"u1","handle":"茶语官方 🍵","followers":850000,"type":"owned","verified":true}
{"kind":"post","id":"p1","channel":"weibo","author":"u1","time":"2026-03-01T10:00:00+08:00","campaign":1,"text":"春茶上市 🍵"}
{"kind":"post","id":"p2","channel":"weibo","author":"u2","time":"2026-03-01T10:05:00+08:00","campaign":1,"root_id":"p1","parent_id":"p1"}
{"kind":"exposure","id":"e1","channel":"weibo","user_id":"u3","post_id":"p1","time":"2026-03-01T10:01:00+08:00","campaign":1}
{"kind":"engagement","id":"g1","channel":"weibo","user_id":"u3","post_id":"p1","action":"like","time":"2026-03-01T10:02:00+08:00","campaign":1}
{"kind":"follow","id":"f1","channel":"weibo","user_id":"u3","account":"u1","time":"2026-03-01T10:03:00+08:00","campaign":1}
{"kind":"unfollow","id":"f2","channel":"weibo","user_id":"u3","account":"u1","time":"2026-03-09T10:03:00+08:00","campaign":1}
{"kind":"conversion","id":"c1","channel":"weibo","user_id":"u3","action":"purchase","value":"89.90","post_id":"p1","time":"2026-03-02T10:00:00+08:00","campaign":1}
"#;
        let events = parse_ndjson(batch).unwrap();
        assert_eq!(events.len(), 8);
        assert!(matches!(&events[1].1, NewEvent::Post { text, .. } if text == "春茶上市 🍵"));
        assert!(matches!(
            &events[7].1,
            NewEvent::Conversion {
                value_cents: 8990,
                ..
            }
        ));
        assert!(matches!(
            &events[6].1,
            NewEvent::Follow { follow: false, .. }
        ));
    }

    #[test]
    fn every_bad_line_is_reported_with_its_field() {
        let batch = "{\"kind\":\"post\",\"id\":\"p1\",\"channel\":\"myspace\",\"author\":\"u\",\"time\":\"2026-03-01T10:00:00+08:00\",\"campaign\":1}\n\
                     not json\n\
                     {\"kind\":\"exposure\",\"id\":\"e1\",\"channel\":\"weibo\",\"user_id\":\"u\",\"post_id\":\"p1\",\"time\":\"2026-03-01 10:00\",\"campaign\":1}\n\
                     {\"kind\":\"conversion\",\"id\":\"c1\",\"channel\":\"weibo\",\"user_id\":\"u\",\"action\":\"refund\",\"time\":\"2026-03-01T10:00:00Z\",\"campaign\":1}\n\
                     {\"kind\":\"exposure\",\"id\":\"e2\",\"channel\":\"weibo\",\"user_id\":\"u\",\"post_id\":\"p1\",\"time\":\"2026-03-01T10:00:00Z\"}\n";
        let errors = parse_ndjson(batch).unwrap_err();
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "channel"),
                (2, ""),
                (3, "time"),
                (4, "action"),
                (5, "campaign")
            ]
        );
        assert!(errors[0].reason.contains("myspace"));
    }

    #[test]
    fn the_documented_examples_are_every_kind_in_both_forms() {
        let nd = parse_ndjson(NDJSON_EXAMPLE).unwrap();
        let csv = parse_csv(CSV_EXAMPLE).unwrap();
        let events = |v: Vec<(usize, NewEvent)>| v.into_iter().map(|(_, e)| e).collect::<Vec<_>>();
        let nd = events(nd);
        assert_eq!(nd, events(csv));
        let kinds: Vec<&str> = NDJSON_EXAMPLE
            .lines()
            .map(|l| l.split('"').nth(3).unwrap_or_default())
            .collect();
        for kind in [
            "account",
            "post",
            "exposure",
            "engagement",
            "follow",
            "unfollow",
            "conversion",
            "mention",
        ] {
            assert!(kinds.contains(&kind), "{kind} has no example");
            assert!(
                FORMAT_DOC.contains(&format!("`{kind}`")),
                "{kind} is not documented"
            );
        }
    }

    #[test]
    fn csv_batches_use_the_same_fields() {
        let body = "kind,id,channel,author,user_id,post_id,action,time,campaign,text,value,paid\n\
                    post,p1,weibo,brand,,,,2026-03-01T10:00:00+08:00,1,\"春茶, 上市 🍵\",,true\n\
                    exposure,e1,weibo,,u3,p1,,2026-03-01T10:01:00+08:00,1,,,\n\
                    conversion,c1,weibo,,u3,p1,purchase,2026-03-02T10:00:00+08:00,1,,89.9,\n";
        let events = parse_csv(body).unwrap();
        assert_eq!(events.len(), 3);
        assert!(
            matches!(&events[0].1, NewEvent::Post { text, paid: true, .. } if text == "春茶, 上市 🍵")
        );
        assert!(matches!(
            &events[2].1,
            NewEvent::Conversion {
                value_cents: 8990,
                ..
            }
        ));
        let bad = "kind,id,channel,user_id,post_id,time,campaign\nexposure,e1,weibo,u,p1,yesterday,1\nexposure,e2,weibo,u,p1\n";
        let errors = parse_csv(bad).unwrap_err();
        assert_eq!(errors[0].line, 2);
        assert_eq!(errors[0].field, "time");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(parse_csv("a,b\n1,2\n").is_err());
    }

    #[test]
    fn mentions_and_a_default_campaign() {
        let m = parse_line(
            1,
            r#"{"kind":"mention","id":"m1","brand":"茶语","channel":"weibo","author":"u","time":"2026-03-14T20:05:00+08:00","text":"求官方回应"}"#,
        );
        assert!(
            matches!(m, Ok(NewEvent::Mention { ref brand, .. }) if brand == "茶语"),
            "{m:?}"
        );
        let line = r#"{"kind":"exposure","id":"e1","channel":"weibo","user_id":"u","post_id":"p1","time":"2026-03-01T10:00:00Z"}"#;
        let d = Defaults { campaign: Some(4) };
        assert_eq!(parse_line_with(1, line, d).unwrap().campaign(), Some(4));
        let other = line.replace("\"time\"", "\"campaign\":5,\"time\"");
        assert_eq!(parse_line_with(1, &other, d).unwrap_err().field, "campaign");
    }

    #[test]
    fn repeated_ids_in_a_batch() {
        let line = r#"{"kind":"exposure","id":"e1","channel":"weibo","user_id":"u","post_id":"p1","time":"2026-03-01T10:00:00Z","campaign":1}"#;
        assert_eq!(parse_ndjson(&format!("{line}\n{line}\n")).unwrap().len(), 1);
        let other = line.replace("\"u\"", "\"v\"");
        let errors = parse_ndjson(&format!("{line}\n{other}\n")).unwrap_err();
        assert_eq!((errors[0].line, errors[0].field.as_str()), (2, "id"));
    }
}
