//! Unique-reach sketches: HyperLogLog, defined once here (version 1) so the
//! server builds them and the browser unions any selection of them.
//!
//! - Hash: xxHash64 (seed 0) of the UTF-8 bytes `"{channel}:{user_id}"`.
//! - p = 14, m = 16,384 registers: standard error 1.04/√m ≈ 0.81%.
//! - Register index = the hash's top 14 bits; rank = leading zeros of the
//!   remaining 50 bits + 1.
//! - Estimate: α·m²/Σ2^-M, with linear counting m·ln(m/V) below 2.5·m when
//!   V registers are empty (no large-range correction is needed with 64-bit
//!   hashes).
//! - Wire form: `"HLL"`, version 1, p, then either 0 and the m register bytes
//!   (dense) or 1, a u32 count and (u16 index, u8 rank) pairs by index
//!   (sparse, used while it is smaller). Little-endian.

/// Register-index bits.
pub const P: u8 = 14;
/// Registers.
pub const M: usize = 1 << P;
/// Relative standard error of an estimate.
pub const STANDARD_ERROR: f64 = 1.04 / 128.0;

const VERSION: u8 = 1;

/// xxHash64 of `data` with seed 0 (Yann Collet's reference algorithm).
pub fn xxh64(data: &[u8]) -> u64 {
    const P1: u64 = 0x9E37_79B1_85EB_CA87;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    const P3: u64 = 0x1656_67B1_9E37_79F9;
    const P4: u64 = 0x85EB_CA77_C2B2_AE63;
    const P5: u64 = 0x27D4_EB2F_1656_67C5;
    let round = |acc: u64, lane: u64| {
        acc.wrapping_add(lane.wrapping_mul(P2))
            .rotate_left(31)
            .wrapping_mul(P1)
    };
    let merge = |acc: u64, v: u64| (acc ^ round(0, v)).wrapping_mul(P1).wrapping_add(P4);
    let u64_at = |i: usize| u64::from_le_bytes(data[i..i + 8].try_into().expect("8 bytes"));
    let u32_at = |i: usize| {
        u64::from(u32::from_le_bytes(
            data[i..i + 4].try_into().expect("4 bytes"),
        ))
    };
    let len = data.len();
    let mut i = 0;
    let mut h = if len >= 32 {
        let mut v = [P1.wrapping_add(P2), P2, 0, 0u64.wrapping_sub(P1)];
        while i + 32 <= len {
            for (k, lane) in v.iter_mut().enumerate() {
                *lane = round(*lane, u64_at(i + 8 * k));
            }
            i += 32;
        }
        let mut h = v[0]
            .rotate_left(1)
            .wrapping_add(v[1].rotate_left(7))
            .wrapping_add(v[2].rotate_left(12))
            .wrapping_add(v[3].rotate_left(18));
        for lane in v {
            h = merge(h, lane);
        }
        h
    } else {
        P5
    };
    h = h.wrapping_add(len as u64);
    while i + 8 <= len {
        h = (h ^ round(0, u64_at(i)))
            .rotate_left(27)
            .wrapping_mul(P1)
            .wrapping_add(P4);
        i += 8;
    }
    if i + 4 <= len {
        h = (h ^ u32_at(i).wrapping_mul(P1))
            .rotate_left(23)
            .wrapping_mul(P2)
            .wrapping_add(P3);
        i += 4;
    }
    while i < len {
        h = (h ^ u64::from(data[i]).wrapping_mul(P5))
            .rotate_left(11)
            .wrapping_mul(P1);
        i += 1;
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

/// A HyperLogLog sketch of distinct users.
#[derive(Clone, PartialEq, Eq)]
pub struct Sketch {
    registers: Vec<u8>,
}

impl std::fmt::Debug for Sketch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sketch(≈{:.0})", self.estimate())
    }
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            registers: vec![0; M],
        }
    }
}

/// Why bytes are not a sketch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SketchError(pub String);

impl std::fmt::Display for SketchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a reach sketch: {}", self.0)
    }
}

impl std::error::Error for SketchError {}

impl Sketch {
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// Adds the user `user_id` of `channel`.
    pub fn add_user(&mut self, channel: &str, user_id: &str) {
        let mut key = Vec::with_capacity(channel.len() + 1 + user_id.len());
        key.extend_from_slice(channel.as_bytes());
        key.push(b':');
        key.extend_from_slice(user_id.as_bytes());
        self.add_hash(xxh64(&key));
    }

    /// Adds an already hashed item.
    pub fn add_hash(&mut self, hash: u64) {
        let index = (hash >> (64 - P)) as usize;
        let rest = (hash << P) | (1 << (P - 1));
        let rank = rest.leading_zeros() as u8 + 1;
        if rank > self.registers[index] {
            self.registers[index] = rank;
        }
    }

    /// The union with `other` (register-wise maximum).
    pub fn merge(&mut self, other: &Sketch) {
        for (a, b) in self.registers.iter_mut().zip(&other.registers) {
            *a = (*a).max(*b);
        }
    }

    /// The estimated number of distinct users.
    pub fn estimate(&self) -> f64 {
        let m = M as f64;
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let (mut sum, mut zeros) = (0.0, 0usize);
        for &r in &self.registers {
            sum += f64::powi(2.0, -i32::from(r));
            zeros += usize::from(r == 0);
        }
        let raw = alpha * m * m / sum;
        if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        }
    }

    /// The compact wire form (see the module doc).
    pub fn to_bytes(&self) -> Vec<u8> {
        let used: Vec<(u16, u8)> = self
            .registers
            .iter()
            .enumerate()
            .filter(|(_, r)| **r > 0)
            .map(|(i, r)| (i as u16, *r))
            .collect();
        let mut out = vec![b'H', b'L', b'L', VERSION, P];
        if used.len() * 3 + 4 < M {
            out.push(1);
            out.extend_from_slice(&(used.len() as u32).to_le_bytes());
            for (i, r) in used {
                out.extend_from_slice(&i.to_le_bytes());
                out.push(r);
            }
        } else {
            out.push(0);
            out.extend_from_slice(&self.registers);
        }
        out
    }

    /// Reads [`Sketch::to_bytes`]'s form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Sketch, SketchError> {
        let err = |why: &str| SketchError(why.to_string());
        if bytes.len() < 6 || &bytes[..3] != b"HLL" {
            return Err(err("wrong magic bytes"));
        }
        if bytes[3] != VERSION || bytes[4] != P {
            return Err(SketchError(format!(
                "version {} with p = {}; this reads version {VERSION}, p = {P}",
                bytes[3], bytes[4]
            )));
        }
        let mut s = Sketch::new();
        match bytes[5] {
            0 if bytes.len() == 6 + M => s.registers.copy_from_slice(&bytes[6..]),
            1 if bytes.len() >= 10 => {
                let count = u32::from_le_bytes(bytes[6..10].try_into().expect("4 bytes")) as usize;
                let pairs = &bytes[10..];
                if pairs.len() != count.saturating_mul(3) {
                    return Err(err("the sparse pairs do not match their count"));
                }
                for pair in pairs.chunks_exact(3) {
                    let i = usize::from(u16::from_le_bytes([pair[0], pair[1]]));
                    if i >= M || pair[2] > 64 - P + 1 {
                        return Err(err("a register is out of range"));
                    }
                    s.registers[i] = pair[2];
                }
            }
            _ => return Err(err("unknown encoding or wrong length")),
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxh64_matches_the_reference() {
        // Values printed by the reference implementation (Python `xxhash`).
        assert_eq!(xxh64(b""), 0xef46db3751d8e999);
        assert_eq!(xxh64(b"a"), 0xd24ec4f1a98c6e5b);
        assert_eq!(xxh64(b"abc"), 0x44bc2cf5ad770999);
        assert_eq!(xxh64(b"weibo:u123"), 0x39830dfc46828453);
        assert_eq!(
            xxh64(b"0123456789abcdefghijklmnopqrstuvwxyz0123456789"),
            0x4ae5684cd402fbb4
        );
    }

    #[test]
    fn estimates_are_within_three_standard_errors() {
        for n in [0usize, 1, 10, 1_000, 20_000, 200_000] {
            let mut s = Sketch::new();
            for i in 0..n {
                s.add_user("weibo", &format!("u{i}"));
                s.add_user("weibo", &format!("u{i}")); // repeats do not count
            }
            let e = s.estimate();
            let tolerance = (3.0 * STANDARD_ERROR * n as f64).max(1.0);
            assert!((e - n as f64).abs() <= tolerance, "n = {n}: estimate {e}");
        }
    }

    #[test]
    fn unions_deduplicate_across_sketches_and_round_trip() {
        let (mut a, mut b) = (Sketch::new(), Sketch::new());
        for i in 0..30_000 {
            a.add_user("douyin", &format!("u{i}"));
        }
        for i in 15_000..45_000 {
            b.add_user("douyin", &format!("u{i}"));
        }
        // The same user id on another channel is another user.
        b.add_user("weibo", "u1");
        let mut u = a.clone();
        u.merge(&b);
        assert!(
            (u.estimate() - 45_001.0).abs() < 3.0 * STANDARD_ERROR * 45_001.0,
            "{}",
            u.estimate()
        );
        for s in [&a, &Sketch::new(), &{
            let mut small = Sketch::new();
            small.add_user("x", "only");
            small
        }] {
            let bytes = s.to_bytes();
            assert_eq!(&Sketch::from_bytes(&bytes).unwrap(), s);
        }
        assert!(
            Sketch::new().to_bytes().len() < 16,
            "an empty sketch is tiny"
        );
        assert!(a.to_bytes().len() <= 6 + M);
        for bad in [
            &b"HLL"[..],
            b"XYZ\x01\x0e\x00",
            b"HLL\x02\x0e\x00",
            b"HLL\x01\x0e\x01\x05\x00\x00\x00",
        ] {
            assert!(Sketch::from_bytes(bad).is_err());
        }
    }
}

/// One sketch of a set: the users exposed in one campaign on one day and
/// channel through one credited account (`""`: no owned or KOL account),
/// split by whether they were suspected (`analytics::suspect`).
#[derive(Debug, Clone, PartialEq)]
pub struct DaySketch {
    /// `YYYY-MM-DD` in the workspace's time zone.
    pub day: String,
    pub channel: String,
    pub account: String,
    pub suspect: bool,
    pub sketch: Sketch,
}

/// The version of [`encode_set`]'s form (2 added the suspect flag, 3 the
/// credited account).
const SET_VERSION: u8 = 3;

/// Encodes a set of day sketches: `"HLLS"`, version 3, a u32 count, then per
/// sketch the day (10 ASCII bytes), the channel and the account (each a u8
/// length and UTF-8 bytes, at most 255), a flags byte (1 = suspect) and the
/// sketch (u32 length, [`Sketch::to_bytes`]).
pub fn encode_set(set: &[DaySketch]) -> Vec<u8> {
    let mut out = b"HLLS".to_vec();
    out.push(SET_VERSION);
    out.extend_from_slice(&(set.len() as u32).to_le_bytes());
    for d in set {
        let mut day = d.day.as_bytes().to_vec();
        day.resize(10, b' ');
        out.extend_from_slice(&day[..10]);
        let channel = &d.channel.as_bytes()[..d.channel.len().min(255)];
        out.push(channel.len() as u8);
        out.extend_from_slice(channel);
        let account = truncate_utf8(&d.account, 255);
        out.push(account.len() as u8);
        out.extend_from_slice(account.as_bytes());
        out.push(u8::from(d.suspect));
        let sketch = d.sketch.to_bytes();
        out.extend_from_slice(&(sketch.len() as u32).to_le_bytes());
        out.extend_from_slice(&sketch);
    }
    out
}

/// The longest prefix of `s` of at most `max` bytes that ends on a
/// character boundary.
fn truncate_utf8(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Reads [`encode_set`]'s form.
pub fn decode_set(bytes: &[u8]) -> Result<Vec<DaySketch>, SketchError> {
    let err = |why: &str| SketchError(why.to_string());
    if bytes.len() < 9 || &bytes[..4] != b"HLLS" || bytes[4] != SET_VERSION {
        return Err(err("not a version 3 sketch set"));
    }
    let count = u32::from_le_bytes(bytes[5..9].try_into().expect("4 bytes")) as usize;
    let mut at = 9;
    let mut take = |n: usize| -> Result<&[u8], SketchError> {
        let end = at + n;
        let slice = bytes.get(at..end).ok_or_else(|| err("truncated"))?;
        at = end;
        Ok(slice)
    };
    let mut out = Vec::with_capacity(count.min(bytes.len() / 16));
    for _ in 0..count {
        let day = String::from_utf8(take(10)?.to_vec())
            .map_err(|_| err("a day is not text"))?
            .trim()
            .to_string();
        let len = take(1)?[0] as usize;
        let channel =
            String::from_utf8(take(len)?.to_vec()).map_err(|_| err("a channel is not text"))?;
        let len = take(1)?[0] as usize;
        let account =
            String::from_utf8(take(len)?.to_vec()).map_err(|_| err("an account is not text"))?;
        let suspect = match take(1)?[0] {
            0 => false,
            1 => true,
            _ => return Err(err("unknown flags")),
        };
        let len = u32::from_le_bytes(take(4)?.try_into().expect("4 bytes")) as usize;
        let sketch = Sketch::from_bytes(take(len)?)?;
        out.push(DaySketch {
            day,
            channel,
            account,
            suspect,
            sketch,
        });
    }
    if take(1).is_ok() {
        return Err(err("bytes after the last sketch"));
    }
    Ok(out)
}

#[cfg(test)]
mod set_tests {
    use super::*;

    #[test]
    fn sets_round_trip_and_refuse_damage() {
        let mut s = Sketch::new();
        s.add_user("weibo", "u1");
        let set = vec![
            DaySketch {
                day: "2026-03-01".into(),
                channel: "weibo".into(),
                account: "茶语官方".into(),
                suspect: false,
                sketch: s.clone(),
            },
            DaySketch {
                day: "2026-03-02".into(),
                channel: "xiaohongshu".into(),
                account: String::new(),
                suspect: true,
                sketch: Sketch::new(),
            },
        ];
        let bytes = encode_set(&set);
        assert_eq!(decode_set(&bytes).unwrap(), set);
        for cut in 0..bytes.len() {
            assert!(decode_set(&bytes[..cut]).is_err(), "{cut}");
        }
        // A flags byte other than 0 or 1 is refused.
        let flags = 9 + 10 + 1 + "weibo".len() + 1 + "茶语官方".len();
        let mut bad = bytes.clone();
        bad[flags] = 2;
        assert!(decode_set(&bad).is_err());
    }
}
