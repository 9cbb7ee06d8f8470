//! Tables as CSV a spreadsheet opens safely: RFC 4180 quoting, a UTF-8
//! byte-order mark (so Excel reads Chinese as Chinese) and CRLF lines, and
//! formula injection neutralised — a cell a spreadsheet would run as a
//! formula (one starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return, OWASP's list) is prefixed with `'`, unless it is a plain number
//! such as `-57` or `-0.25`.

/// The CSV of `header` and `rows`.
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One cell, neutralised and quoted as needed.
pub fn cell(value: &str) -> String {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(value);
    let value = if risky {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// `-12`, `3.5`, `-0.25`: digits with at most one point and a leading minus.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for (input, expected) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("-57", "-57"),
            ("-0.25", "-0.25"),
            ("12", "12"),
            ("-", "'-"),
            ("--1", "'--1"),
            ("春季新品上市", "春季新品上市"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            (" padded", "\" padded\""),
        ] {
            assert_eq!(cell(input), expected, "{input:?}");
        }
    }

    #[test]
    fn a_table_has_a_bom_crlf_lines_and_its_header() {
        let t = table(
            &["账号".into(), "曝光量".into()],
            &[vec!["=HYPERLINK(\"x\")".into(), "1,745".into()]],
        );
        assert_eq!(
            t,
            "\u{feff}账号,曝光量\r\n\"'=HYPERLINK(\"\"x\"\")\",\"1,745\"\r\n"
        );
    }
}
