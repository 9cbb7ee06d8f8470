//! How numbers, money and dates are written in each interface language.
//!
//! Chinese marketers read large numbers in 万 (10^4) and 亿 (10^8), English
//! readers in K and M; both see the same value. Nothing here rounds a value
//! that is later computed with: formatting is the last step.

use crate::date::Date;
use serde::{Deserialize, Serialize};

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    Zh,
}

impl Lang {
    /// The BCP 47 tag, as used in `<html lang>` and in URLs.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Reads a tag such as `zh`, `zh-CN` or `en-GB`; anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// An exact count with thousands separators: `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A short form for cards and axes: `12.3K` / `1.2万`. Values below the first
/// unit are written exactly.
pub fn compact(value: f64, lang: Lang) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    let units: &[(f64, &str)] = match lang {
        Lang::En => &[(1e9, "B"), (1e6, "M"), (1e3, "K")],
        Lang::Zh => &[(1e8, "亿"), (1e4, "万")],
    };
    for &(size, suffix) in units {
        if v >= size {
            return format!("{sign}{}{suffix}", trim_decimals(v / size, 1));
        }
    }
    if v.fract() == 0.0 {
        format!("{sign}{}", count(v as u64))
    } else {
        format!("{sign}{}", trim_decimals(v, 1))
    }
}

/// Money from minor units: `¥12,345.67` (two decimals, grouped).
pub fn money(cents: i64, currency: &str) -> String {
    let symbol = currency_symbol(currency);
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{symbol}{}.{:02}", count(abs / 100), abs % 100)
}

/// Reads an amount in major units (`89.9`, `80,000.50`) as minor units;
/// `None` for anything else (negative, more than two decimals, not a number).
pub fn parse_money(s: &str) -> Option<i64> {
    let s = s.trim().replace([',', '_'], "");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || frac.len() > 2 || !digits(frac) {
        return None;
    }
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(frac)
}

/// Reads a plain decimal (`16`, `-0.25`, `17.50000`) as the app writes
/// numbers into URLs and browsers write lengths; `None` for anything else
/// (exponents, `inf`, `NaN`, a bare `.`, more than 18 digits a side). Not
/// `f64::from_str`: its exact algorithm and tables would be the largest
/// thing in the first load of every page that reads a number.
pub fn decimal(s: &str) -> Option<f64> {
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let digits = |t: &str| !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit());
    let (whole, frac) = match s.split_once('.') {
        Some((whole, frac)) if digits(frac) => (whole, frac),
        Some(_) => return None,
        None => (s, ""),
    };
    if !digits(whole) {
        return None;
    }
    let value = |t: &str| t.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64;
    let v = value(whole) + value(frac) / 10f64.powi(frac.len() as i32);
    Some(if negative { -v } else { v })
}

/// Money in the compact form of [`compact`]: `¥50万`, `¥500K`.
pub fn money_compact(cents: i64, currency: &str, lang: Lang) -> String {
    format!(
        "{}{}",
        currency_symbol(currency),
        compact(cents as f64 / 100.0, lang)
    )
}

fn currency_symbol(currency: &str) -> &str {
    match currency {
        "CNY" => "¥",
        "USD" => "$",
        "EUR" => "€",
        _ => currency,
    }
}

/// A day label for axes and headings: `Mar 5` / `3月5日`.
pub fn short_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} {}", MONTHS_EN[usize::from(d.month - 1)], d.day),
        Lang::Zh => format!("{}月{}日", d.month, d.day),
    }
}

/// A full date: `Mar 5, 2026` / `2026年3月5日`.
pub fn long_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{} {}, {}",
            MONTHS_EN[usize::from(d.month - 1)],
            d.day,
            d.year
        ),
        Lang::Zh => format!("{}年{}月{}日", d.year, d.month, d.day),
    }
}

/// A date range: `Mar 1, 2026 – Mar 28, 2026` / `2026年3月1日 – 2026年3月28日`.
pub fn date_range(first: Date, last: Date, lang: Lang) -> String {
    format!("{} – {}", long_date(first, lang), long_date(last, lang))
}

/// A duration from seconds, in its largest sensible unit: `45 s`, `12 min`,
/// `3.5 h`, `2.1 d` / `45秒`, `12分钟`, `3.5小时`, `2.1天`.
pub fn duration(seconds: f64, lang: Lang) -> String {
    let s = seconds.max(0.0);
    let (v, en, zh) = if s < 60.0 {
        (s, " s", "秒")
    } else if s < 3600.0 {
        (s / 60.0, " min", "分钟")
    } else if s < 86_400.0 {
        (s / 3600.0, " h", "小时")
    } else {
        (s / 86_400.0, " d", "天")
    };
    let v = trim_decimals(v, 1);
    match lang {
        Lang::En => format!("{v}{en}"),
        Lang::Zh => format!("{v}{zh}"),
    }
}

/// A day and hour from Unix seconds and the zone's offset: `Mar 14 20:00` /
/// `3月14日 20:00`.
pub fn day_hour(unix_seconds: i64, offset_seconds: i32, lang: Lang) -> String {
    let local = unix_seconds + i64::from(offset_seconds);
    let d = Date::from_days(local.div_euclid(86_400));
    let hour = local.rem_euclid(86_400) / 3600;
    format!("{} {hour:02}:00", short_date(d, lang))
}

/// A ratio as a percentage with one decimal: `12.5%`.
pub fn percent(ratio: f64) -> String {
    format!("{}%", trim_decimals(ratio * 100.0, 1))
}

/// A rate and its interval as percentages, `42.0% [39.1%–45.0%]`; `–` when
/// there is none.
pub fn rate(r: Option<(f64, (f64, f64))>) -> String {
    match r {
        Some((p, (lo, hi))) => format!("{} [{}–{}]", percent(p), percent(lo), percent(hi)),
        None => "–".into(),
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Rounds to `decimals` places and drops a trailing `.0`.
fn trim_decimals(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A piece of a file name: letters (any script), digits, `_` and `.`; every other run becomes one
/// `-`; at most 60 characters.
pub fn file_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(['-', '.']).chars().take(60).collect()
}

#[cfg(test)]
mod duration_tests {
    use super::*;

    #[test]
    fn durations_and_hours_read_naturally_in_both_languages() {
        assert_eq!(duration(45.0, Lang::En), "45 s");
        assert_eq!(duration(720.0, Lang::Zh), "12分钟");
        assert_eq!(duration(12_600.0, Lang::En), "3.5 h");
        assert_eq!(duration(181_440.0, Lang::Zh), "2.1天");
        assert_eq!(duration(-3.0, Lang::En), "0 s");
        // 2026-03-14 12:00 UTC is 20:00 in Beijing.
        assert_eq!(day_hour(1_773_489_600, 8 * 3600, Lang::Zh), "3月14日 20:00");
        assert_eq!(day_hour(1_773_489_600, 0, Lang::En), "Mar 14 12:00");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_are_read_as_written_and_anything_else_is_refused() {
        use super::decimal;
        assert_eq!(decimal("16"), Some(16.0));
        assert_eq!(decimal("17.5"), Some(17.5));
        assert_eq!(decimal("-0.25000"), Some(-0.25));
        assert_eq!(decimal("0.12345"), Some(0.12345));
        assert_eq!(decimal("1.0000"), Some(1.0));
        assert_eq!(
            decimal("999999999999999999"),
            Some(999_999_999_999_999_999.0)
        );
        for bad in [
            "",
            "-",
            ".",
            "1.",
            ".5",
            "+1",
            "1e3",
            "inf",
            "NaN",
            "1.2.3",
            " 1",
            "1 ",
            "--1",
            "1234567890123456789",
        ] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn counts_are_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn compact_uses_each_languages_units() {
        assert_eq!(compact(950.0, Lang::En), "950");
        assert_eq!(compact(12_345.0, Lang::En), "12.3K");
        assert_eq!(compact(12_345.0, Lang::Zh), "1.2万");
        assert_eq!(compact(2_000_000.0, Lang::En), "2M");
        assert_eq!(compact(2_000_000.0, Lang::Zh), "200万");
        assert_eq!(compact(350_000_000.0, Lang::Zh), "3.5亿");
        assert_eq!(compact(-1500.0, Lang::En), "-1.5K");
        assert_eq!(compact(2.26, Lang::En), "2.3");
    }

    #[test]
    fn money_and_dates() {
        assert_eq!(money(123_456_789, "CNY"), "¥1,234,567.89");
        assert_eq!(money(-5, "USD"), "-$0.05");
        assert_eq!(money(100, "JPY"), "JPY1.00");
        assert_eq!(money_compact(50_000_000, "CNY", Lang::Zh), "¥50万");
        assert_eq!(money_compact(50_000_000, "CNY", Lang::En), "¥500K");
        let d = Date::parse("2026-03-05").unwrap();
        assert_eq!(short_date(d, Lang::En), "Mar 5");
        assert_eq!(short_date(d, Lang::Zh), "3月5日");
        assert_eq!(long_date(d, Lang::Zh), "2026年3月5日");
        assert_eq!(percent(0.125), "12.5%");
        assert_eq!(percent(0.5), "50%");
    }

    #[test]
    fn money_is_read_in_minor_units() {
        assert_eq!(parse_money("80000"), Some(8_000_000));
        assert_eq!(parse_money("80,000.5"), Some(8_000_050));
        assert_eq!(parse_money("0.05"), Some(5));
        for bad in [
            "",
            "-1",
            "1.234",
            "abc",
            "1e5",
            ".5",
            "99999999999999999999",
        ] {
            assert_eq!(parse_money(bad), None, "{bad}");
        }
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("zh"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::Zh.tag(), "zh-CN");
    }
}
