//! Query strings as typed structs: each route names the parameters it reads
//! (`#[serde(deny_unknown_fields)]`, every field an `Option<String>`), so a
//! typo is refused by name instead of silently ignored; the values are then
//! checked by the helpers here, whose errors say which parameter, what was
//! given and what it must be. Every window and count a request can name is
//! bounded here, before anything is allocated.

use super::ApiError;
use analytics::wire::Channel;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use std::ops::RangeInclusive;

/// The query string of a request, parsed as `T`.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(query).map(Params).map_err(|e| {
            let text = e.to_string();
            // serde says "unknown field `x`, expected one of `a`, `b`".
            match text.strip_prefix("unknown field `") {
                Some(rest) => {
                    let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
                    ApiError::BadRequest(format!(
                        "unknown query parameter {name:?}{}",
                        expected
                            .replace('`', "")
                            .replace(", expected", "; this route reads")
                    ))
                }
                None => ApiError::BadRequest(format!("the query string cannot be read: {text}")),
            }
        })
    }
}

/// The query string of a route that reads no parameters: any is refused.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

/// The longest time window a request may name: a year and a day (366 days).
pub const MAX_SPAN_S: i64 = 366 * 24 * 3600;
/// The earliest and latest instants a request may name (1970 to 9999).
pub const TIME_RANGE: RangeInclusive<i64> = 0..=253_402_300_799;

/// A whole-number query parameter within `range`.
pub fn int_in(name: &str, v: &str, range: RangeInclusive<i64>) -> Result<i64, ApiError> {
    v.parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "query parameter {name}={:?} must be a whole number from {} to {}",
                crate::access::truncate(v, 40),
                range.start(),
                range.end()
            ))
        })
}

/// An instant, Unix seconds, within [`TIME_RANGE`].
pub fn unix_seconds(name: &str, v: &str) -> Result<i64, ApiError> {
    v.parse::<i64>()
        .ok()
        .filter(|n| TIME_RANGE.contains(n))
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "query parameter {name}={:?} must be Unix seconds from {} to {} (years 1970–9999)",
                crate::access::truncate(v, 40),
                TIME_RANGE.start(),
                TIME_RANGE.end()
            ))
        })
}

/// An optional instant parameter (see [`unix_seconds`]).
pub fn optional_unix_seconds(name: &str, v: Option<&str>) -> Result<Option<i64>, ApiError> {
    v.map(|v| unix_seconds(name, v)).transpose()
}

/// `[from, to)` checked: at most [`MAX_SPAN_S`] long (`to` at or before
/// `from` is an empty window, answered with nothing).
pub fn window(from: i64, to: i64) -> Result<(i64, i64), ApiError> {
    if to - from > MAX_SPAN_S {
        return Err(ApiError::BadRequest(format!(
            "from={from} to to={to} spans {} days; at most 366 days may be asked for at once",
            (to - from) / 86_400
        )));
    }
    Ok((from, to))
}

/// A channel query parameter.
pub fn channel(v: &str) -> Result<Channel, ApiError> {
    Channel::parse(v).ok_or_else(|| {
        let all: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
        ApiError::BadRequest(format!(
            "query parameter channel={:?} is not a channel: one of {}",
            crate::access::truncate(v, 40),
            all.join(", ")
        ))
    })
}

/// A day, `YYYY-MM-DD`.
pub fn day(name: &str, v: &str) -> Result<analytics::date::Date, ApiError> {
    analytics::date::Date::parse(v).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "query parameter {name}={:?} must be a day, YYYY-MM-DD",
            crate::access::truncate(v, 40)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_instants_are_bounded() {
        assert!(unix_seconds("from", "-9223372036854775808").is_err());
        assert!(unix_seconds("to", "400000000000").is_err());
        assert_eq!(unix_seconds("to", "1700000000").ok(), Some(1_700_000_000));
        assert!(window(0, 400_000_000).is_err());
        assert_eq!(window(10, 5).ok(), Some((10, 5)), "empty, not an error");
        assert_eq!(window(0, 3600).ok(), Some((0, 3600)));
    }
}
