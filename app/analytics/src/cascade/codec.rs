//! The compact binary form of one cascade, as the API sends it to the
//! explorer (version 2, little-endian). Defined once, here, with its decoder.
//!
//! ```text
//! "WOMT" · version u8 = 2 · 3 reserved bytes · n u32 · root time i64 (Unix ms)
//! parent  n × u32   breadth-first order; u32::MAX for the root
//! offset  n × i64   milliseconds after the root (negative in dirty data)
//! follows n × u32   followers of the node's account (saturated)
//! follow' n × u32   accounts the node's account follows (saturated)
//! posts   n × u32   posts of the node's account (saturated)
//! age     n × f32   the account's age in days when it posted (NaN: unknown)
//! flags   n × u8    bit 0: flagged as suspicious amplification by the server
//!
//! Version 2 added following, posts and age, so the browser runs the
//! amplification detector itself and names each flag's signals.
//! ids     n × (u16 length, UTF-8)   the posts' client ids
//! handles n × (u16 length, UTF-8)   the accounts' handles
//! ```

/// One cascade in explorer form.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeBlob {
    pub root_time_ms: i64,
    pub parent: Vec<u32>,
    pub offset_ms: Vec<i64>,
    pub followers: Vec<u32>,
    pub following: Vec<u32>,
    pub posts: Vec<u32>,
    /// Days; NaN when unknown.
    pub age_days: Vec<f32>,
    pub flags: Vec<u8>,
    pub ids: Vec<String>,
    pub handles: Vec<String>,
}

/// Bit of [`TreeBlob::flags`]: the node was flagged as suspicious amplification.
pub const FLAG_SUSPICIOUS: u8 = 1;

const MAGIC: &[u8; 4] = b"WOMT";
const VERSION: u8 = 2;

/// Why bytes are not a tree blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a cascade tree blob: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

fn put_str(out: &mut Vec<u8>, s: &str) {
    // Longer strings are cut at a character boundary; ids and handles are far shorter.
    let mut end = s.len().min(u16::MAX as usize);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&(end as u16).to_le_bytes());
    out.extend_from_slice(&s.as_bytes()[..end]);
}

/// Encodes a blob; every array must have the same length.
pub fn encode(t: &TreeBlob) -> Vec<u8> {
    let n = t.parent.len();
    let mut out = Vec::with_capacity(20 + n * 17 + n * 24);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[VERSION, 0, 0, 0]);
    out.extend_from_slice(&(n as u32).to_le_bytes());
    out.extend_from_slice(&t.root_time_ms.to_le_bytes());
    t.parent
        .iter()
        .for_each(|p| out.extend_from_slice(&p.to_le_bytes()));
    t.offset_ms
        .iter()
        .for_each(|o| out.extend_from_slice(&o.to_le_bytes()));
    for column in [&t.followers, &t.following, &t.posts] {
        column
            .iter()
            .for_each(|f| out.extend_from_slice(&f.to_le_bytes()));
    }
    t.age_days
        .iter()
        .for_each(|a| out.extend_from_slice(&a.to_le_bytes()));
    out.extend_from_slice(&t.flags);
    t.ids.iter().for_each(|s| put_str(&mut out, s));
    t.handles.iter().for_each(|s| put_str(&mut out, s));
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, len: usize, what: &str) -> Result<&[u8], DecodeError> {
        let end = self.at.checked_add(len).filter(|e| *e <= self.bytes.len());
        let end =
            end.ok_or_else(|| DecodeError(format!("ends inside {what} (byte {})", self.at)))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const W: usize>(&mut self, what: &str) -> Result<[u8; W], DecodeError> {
        let mut a = [0u8; W];
        a.copy_from_slice(self.take(W, what)?);
        Ok(a)
    }

    fn string(&mut self, what: &str) -> Result<String, DecodeError> {
        let len = u16::from_le_bytes(self.array(what)?) as usize;
        String::from_utf8(self.take(len, what)?.to_vec())
            .map_err(|_| DecodeError(format!("{what} is not UTF-8")))
    }
}

/// Decodes [`encode`]'s output, refusing anything truncated or of another version.
pub fn decode(bytes: &[u8]) -> Result<TreeBlob, DecodeError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4, "the magic")? != MAGIC {
        return Err(DecodeError("wrong magic bytes".into()));
    }
    let version = r.take(4, "the version")?[0];
    if version != VERSION {
        return Err(DecodeError(format!(
            "version {version}, this decoder reads {VERSION}"
        )));
    }
    let n = u32::from_le_bytes(r.array("the node count")?) as usize;
    // Every node takes at least 33 bytes: refuse counts the input cannot hold.
    if n > bytes.len() / 33 + 1 {
        return Err(DecodeError(format!(
            "{n} nodes cannot fit in {} bytes",
            bytes.len()
        )));
    }
    let root_time_ms = i64::from_le_bytes(r.array("the root time")?);
    let mut t = TreeBlob {
        root_time_ms,
        parent: Vec::with_capacity(n),
        offset_ms: Vec::with_capacity(n),
        followers: Vec::with_capacity(n),
        following: Vec::with_capacity(n),
        posts: Vec::with_capacity(n),
        age_days: Vec::with_capacity(n),
        flags: Vec::new(),
        ids: Vec::with_capacity(n),
        handles: Vec::with_capacity(n),
    };
    for _ in 0..n {
        t.parent.push(u32::from_le_bytes(r.array("the parents")?));
    }
    for _ in 0..n {
        t.offset_ms.push(i64::from_le_bytes(r.array("the times")?));
    }
    for _ in 0..n {
        t.followers
            .push(u32::from_le_bytes(r.array("the follower counts")?));
    }
    for _ in 0..n {
        t.following
            .push(u32::from_le_bytes(r.array("the following counts")?));
    }
    for _ in 0..n {
        t.posts
            .push(u32::from_le_bytes(r.array("the post counts")?));
    }
    for _ in 0..n {
        t.age_days
            .push(f32::from_le_bytes(r.array("the account ages")?));
    }
    t.flags = r.take(n, "the flags")?.to_vec();
    for _ in 0..n {
        t.ids.push(r.string("the ids")?);
    }
    for _ in 0..n {
        t.handles.push(r.string("the handles")?);
    }
    if r.at != bytes.len() {
        return Err(DecodeError(format!(
            "{} bytes after the end",
            bytes.len() - r.at
        )));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TreeBlob {
        TreeBlob {
            root_time_ms: 1_772_330_400_000,
            parent: vec![u32::MAX, 0, 0, 1],
            offset_ms: vec![0, 60_000, -5, 3_600_000],
            followers: vec![850_000, 12, 0, u32::MAX],
            following: vec![100, 900, 3000, 0],
            posts: vec![4000, 0, 1, 7],
            age_days: vec![2000.0, 3.5, 1.0, 400.0],
            flags: vec![0, 0, FLAG_SUSPICIOUS, 0],
            ids: vec!["p0".into(), "p1".into(), "转发 🍵".into(), String::new()],
            handles: vec![
                "茶语官方".into(),
                "a".into(),
                "水军00001".into(),
                "d".into(),
            ],
        }
    }

    #[test]
    fn round_trips() {
        let t = sample();
        let bytes = encode(&t);
        assert_eq!(&bytes[..4], b"WOMT");
        assert_eq!(decode(&bytes).unwrap(), t);
        let empty = TreeBlob {
            parent: vec![],
            offset_ms: vec![],
            followers: vec![],
            following: vec![],
            posts: vec![],
            age_days: vec![],
            flags: vec![],
            ids: vec![],
            handles: vec![],
            root_time_ms: 0,
        };
        assert_eq!(decode(&encode(&empty)).unwrap(), empty);
    }

    #[test]
    fn damaged_input_is_refused_not_panicked_on() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "truncated at {cut}");
        }
        let mut other = bytes.clone();
        other[4] = 1;
        assert!(decode(&other).unwrap_err().0.contains("version 1"));
        let mut huge = bytes.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&huge).is_err());
        let mut extra = bytes;
        extra.push(0);
        assert!(decode(&extra).is_err());
    }
}
