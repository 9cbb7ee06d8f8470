//! Calendar dates without a time zone database: parsing, printing and walking
//! `YYYY-MM-DD` days. Time zones are resolved where events are stored; from
//! then on a day is just a civil date.

use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as `2026-02-30`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = s[0..4].parse().ok()?;
        let month: u8 = s[5..7].parse().ok()?;
        let day: u8 = s[8..10].parse().ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The civil date at `unix_seconds` in a zone `offset_seconds` east of UTC.
    pub fn from_unix(unix_seconds: i64, offset_seconds: i32) -> Date {
        Date::from_days((unix_seconds + i64::from(offset_seconds)).div_euclid(86_400))
    }

    /// Every date from `self` to `last`, both included (empty if `last` is earlier).
    pub fn through(self, last: Date) -> impl Iterator<Item = Date> {
        (self.to_days()..=last.to_days()).map(Date::from_days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_across_four_centuries() {
        for days in -150_000..150_000 {
            let d = Date::from_days(days);
            assert_eq!(d.to_days(), days, "{d}");
            assert_eq!(
                Date::parse(&d.to_string()).filter(|_| d.year >= 1000),
                (d.year >= 1000).then_some(d)
            );
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::parse("2024-02-29").unwrap().to_days(), 19_782);
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("2026-1-01"), None);
        // 2026-03-01T00:30:00+08:00 is still 2026-02-28 in UTC.
        let t = Date::parse("2026-03-01").unwrap().to_days() * 86_400 - 8 * 3600 + 1800;
        assert_eq!(Date::from_unix(t, 8 * 3600).to_string(), "2026-03-01");
        assert_eq!(Date::from_unix(t, 0).to_string(), "2026-02-28");
    }

    #[test]
    fn through_is_inclusive() {
        let a = Date::parse("2026-02-27").unwrap();
        let b = Date::parse("2026-03-02").unwrap();
        let days: Vec<String> = a.through(b).map(|d| d.to_string()).collect();
        assert_eq!(
            days,
            ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]
        );
        assert_eq!(b.through(a).count(), 0);
    }
}
