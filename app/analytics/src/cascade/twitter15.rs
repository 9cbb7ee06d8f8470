//! The Twitter15/16 tree file format: one edge per line,
//! `['uid', 'tweet_id', 'delay_min']->['uid', 'tweet_id', 'delay_min']`, parent
//! first, the root introduced by a parent of `['ROOT', 'ROOT', '0.0']`.
//! Node key = uid (a retweet carries its source's tweet id, so tweet ids repeat).

use super::build::{Endpoint, Row};
use std::collections::HashSet;

/// A parsed file: its rows (exact duplicate lines removed) and line counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    pub rows: Vec<Row<String>>,
    /// Non-empty lines.
    pub lines: u64,
    /// Lines that repeat an earlier line exactly.
    pub dup_lines: u64,
}

/// A line that is not in the format, with its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ParseError {}

/// Parses a whole file. Any malformed line fails the file: a tree built from
/// part of its edges would report wrong metrics as if they were right.
pub fn parse(text: &str) -> Result<ParsedFile, ParseError> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut rows = Vec::new();
    let (mut lines, mut dup_lines) = (0u64, 0u64);
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        lines += 1;
        if !seen.insert(line) {
            dup_lines += 1;
            continue;
        }
        let err = |reason: &str| ParseError {
            line: i + 1,
            reason: reason.to_string(),
        };
        let (left, right) = line
            .split_once("->")
            .ok_or_else(|| err("no `->` between parent and child"))?;
        let (p_uid, _, p_time) = node(left).map_err(|r| err(&format!("parent: {r}")))?;
        let (c_uid, _, c_time) = node(right).map_err(|r| err(&format!("child: {r}")))?;
        if c_uid == "ROOT" {
            return Err(err("the child is the ROOT marker"));
        }
        let parent = if p_uid == "ROOT" {
            Endpoint::Root
        } else {
            Endpoint::Node(p_uid.to_string())
        };
        rows.push(Row {
            parent,
            child: c_uid.to_string(),
            parent_time: p_time,
            child_time: c_time,
        });
    }
    Ok(ParsedFile {
        rows,
        lines,
        dup_lines,
    })
}

/// `['uid', 'tweet_id', 'delay']` → its three fields.
fn node(s: &str) -> Result<(&str, &str, f64), String> {
    let inner = s
        .trim()
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .ok_or_else(|| format!("{s:?} is not a bracketed ['uid', 'tweet_id', 'delay'] triple"))?;
    let fields: Vec<&str> = inner.split(',').map(str::trim).collect();
    if fields.len() != 3 {
        return Err(format!("{s:?} has {} fields, not 3", fields.len()));
    }
    let unquote = |f: &'_ str| -> Result<String, String> {
        f.strip_prefix('\'')
            .and_then(|f| f.strip_suffix('\''))
            .map(str::to_string)
            .ok_or_else(|| format!("{f:?} is not quoted with '"))
    };
    unquote(fields[0])?;
    unquote(fields[1])?;
    let delay = unquote(fields[2])?;
    let t: f64 = delay
        .parse()
        .map_err(|_| format!("delay {delay:?} is not a number"))?;
    if !t.is_finite() {
        return Err(format!("delay {delay:?} is not finite"));
    }
    let uid = &fields[0][1..fields[0].len() - 1];
    let tid = &fields[1][1..fields[1].len() - 1];
    if uid.is_empty() {
        return Err("empty uid".into());
    }
    Ok((uid, tid, t))
}

/// C's `%.10g`: how the reference file prints times and structural virality.
pub fn format_g10(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return x.to_string();
    }
    let sci = format!("{x:.9e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..10).contains(&exp) {
        let m = trim_zeros(mantissa);
        return format!("{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    let decimals = (9 - exp).max(0) as usize;
    trim_zeros(&format!("{x:.decimals$}")).to_string()
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cascade::build_tree;

    #[test]
    fn g10_matches_printf() {
        for (x, s) in [
            (0.0, "0"),
            (28.22, "28.22"),
            (1582487.73, "1582487.73"),
            (2.0650541, "2.0650541"),
            (2.0 / 3.0, "0.6666666667"),
            (-0.5, "-0.5"),
            (1e10, "1e+10"),
            (1.5e-5, "1.5e-05"),
            (123456789012.0, "1.23456789e+11"),
            (9.99999999995, "10"),
        ] {
            assert_eq!(format_g10(x), s, "{x}");
        }
    }

    #[test]
    fn dirty_file_is_repaired_and_counted() {
        let text = "\
['1', '10', '5.0']->['2', '11', '6.0']
['ROOT', 'ROOT', '0.0']->['1', '10', '-1.5']
['1', '10', '5.0']->['2', '11', '6.0']
['2', '11', '6.0']->['2', '11', '6.0']
['2', '11', '6.0']->['1', '10', '0.0']
['3', '12', '7.0']->['2', '13', '8.0']
['1', '10', '0.0']->['3', '12', '2.0']
['8', '14', '1.0']->['9', '15', '3.0']
['9', '15', '3.0']->['8', '14', '1.0']
";
        let f = parse(text).unwrap();
        assert_eq!((f.lines, f.dup_lines), (9, 1));
        let t = build_tree(&f.rows).unwrap();
        let r = &t.repairs;
        assert_eq!(
            (
                r.self_loops,
                r.edges_into_root,
                r.extra_parents,
                r.unreachable
            ),
            (1, 1, 1, 2)
        );
        assert_eq!(t.ids, ["1", "2", "3"]);
        // Times: the root keeps its ROOT row's time; others their first sighting.
        assert_eq!(t.time, [-1.5, 6.0, 7.0]);
        assert_eq!(t.repairs.before_parent, 0);
        let m = t.metrics();
        assert_eq!((m.n, m.depth, m.root_outdeg), (3, 1, 2));
    }

    #[test]
    fn bad_lines_name_their_number() {
        let e = parse(
            "['ROOT', 'ROOT', '0.0']->['1', '10', '0.0']\n['1', '10', 'x']->['2', '11', '1']\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.reason.contains("not a number"), "{}", e.reason);
        assert!(parse("garbage").is_err());
        assert!(build_tree(&parse("['1', '10', '0']->['2', '11', '1']").unwrap().rows).is_err());
    }
}
