//! The demo agency workspace: a deterministic generator (this file) and its
//! loader (`load`).
//!
//! The demo is the stage every page is shown on, so it plants what those pages
//! must reveal, and records each plant in a [`Manifest`] that tests check the
//! stored data against: a viral cascade of known scale among mostly shallow
//! broadcasts, a burst of paid posters inside the biggest cascade, a share of
//! zombie fans, and a mention spike. Nothing here reads a clock or an
//! unseeded RNG: the same size gives the same workspace everywhere.

pub mod load;

use analytics::date::Date;
use analytics::rng::Rng;
use analytics::synth::{self, CascadeShape};
use analytics::wire::Channel;
use std::collections::HashMap;

/// The demo's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoSize {
    /// About 2×10^5 events; the largest cascade has about 2×10^4 nodes.
    Small,
    /// About 10^7 events, including a 10^5-node cascade, for benchmarks.
    Large,
}

impl DemoSize {
    fn scale(self) -> f64 {
        match self {
            DemoSize::Small => 1.0,
            DemoSize::Large => 64.0,
        }
    }

    fn hero_nodes(self) -> usize {
        match self {
            DemoSize::Small => 20_000,
            DemoSize::Large => 100_000,
        }
    }
}

/// The seed of the demo. Changing it changes every figure in the README.
pub const SEED: u64 = 0x5eed_2026;

/// The workspace's time zone (UTC+8 all year, no daylight saving).
pub const TIMEZONE: &str = "Asia/Shanghai";
const UTC_OFFSET_S: i64 = 8 * 3600;

#[derive(Debug, Clone)]
pub struct BrandSeed {
    pub name: &'static str,
    pub competitor: bool,
    pub keywords: &'static [&'static str],
}

#[derive(Debug, Clone)]
pub struct CampaignSeed {
    pub brand: usize,
    pub name: &'static str,
    pub start: Date,
    pub end: Date,
    pub budget_cents: i64,
    pub channels: Vec<Channel>,
    pub keywords: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    Owned,
    Kol,
    Regular,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Owned => "owned",
            AccountKind::Kol => "kol",
            AccountKind::Regular => "regular",
        }
    }
}

/// A user of one channel: an index into that channel's population. Users
/// without an account row only ever appear as exposed or engaging user ids.
pub type UserId = (Channel, u32);

#[derive(Debug, Clone)]
pub struct AccountSeed {
    pub user: UserId,
    pub handle: String,
    pub kind: AccountKind,
    pub brand: Option<usize>,
    pub followers: i64,
    pub following: i64,
    pub posts: i64,
    pub created_at: i64,
    pub verified: bool,
}

#[derive(Debug, Clone)]
pub struct PostSeed {
    pub client_id: String,
    pub campaign: usize,
    pub account: usize,
    pub at: i64,
    pub root: Option<u32>,
    pub parent: Option<u32>,
    pub paid: bool,
    pub text: String,
}

/// Exposures and engagements: `user` saw (or engaged with) post `post`.
#[derive(Debug, Clone, Copy)]
pub struct TouchSeed {
    pub campaign: usize,
    pub user: UserId,
    pub post: u32,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngagementKind {
    Like,
    Comment,
    Repost,
    Click,
}

impl EngagementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EngagementKind::Like => "like",
            EngagementKind::Comment => "comment",
            EngagementKind::Repost => "repost",
            EngagementKind::Click => "click",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FollowSeed {
    pub campaign: usize,
    pub user: UserId,
    /// The owned account followed.
    pub account: usize,
    pub follow: bool,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversionKind {
    Purchase,
    Signup,
    Coupon,
}

impl ConversionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConversionKind::Purchase => "purchase",
            ConversionKind::Signup => "signup",
            ConversionKind::Coupon => "coupon",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ConversionSeed {
    pub campaign: usize,
    pub user: UserId,
    pub kind: ConversionKind,
    pub value_cents: i64,
    pub post: u32,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub struct MentionSeed {
    pub brand: usize,
    pub user: UserId,
    pub text: String,
    pub at: i64,
}

/// What was planted, for tests and for the pages that must reveal it.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Client id of the original post of the largest cascade, and its size.
    pub hero_root: String,
    pub hero_nodes: usize,
    /// The node the paid posters reposted, and their reposts' client ids.
    pub burst_parent: String,
    pub burst_posts: Vec<String>,
    /// Platform ids of the zombie fans, and their share of each campaign's follows.
    pub zombie_fans: Vec<String>,
    pub zombie_share: Vec<f64>,
    /// The brand whose mentions spike, the spike's first hour (Unix seconds)
    /// and its length in hours.
    pub spike_brand: String,
    pub spike_start: i64,
    pub spike_hours: u32,
}

/// A whole generated workspace.
#[derive(Debug, Clone)]
pub struct Demo {
    pub slug: &'static str,
    pub name: &'static str,
    pub brands: Vec<BrandSeed>,
    pub campaigns: Vec<CampaignSeed>,
    pub accounts: Vec<AccountSeed>,
    pub posts: Vec<PostSeed>,
    pub exposures: Vec<TouchSeed>,
    pub engagements: Vec<(TouchSeed, EngagementKind)>,
    pub follows: Vec<FollowSeed>,
    pub conversions: Vec<ConversionSeed>,
    pub mentions: Vec<MentionSeed>,
    pub manifest: Manifest,
}

impl Demo {
    /// Every stored event: posts, exposures, engagements, follows and
    /// unfollows, conversions and mentions.
    pub fn event_count(&self) -> usize {
        self.posts.len()
            + self.exposures.len()
            + self.engagements.len()
            + self.follows.len()
            + self.conversions.len()
            + self.mentions.len()
    }

    /// The platform user id of a channel user, e.g. `wb0001234`.
    pub fn platform_id(user: UserId) -> String {
        let prefix = match user.0 {
            Channel::Weibo => "wb",
            Channel::Wechat => "wx",
            Channel::Douyin => "dy",
            Channel::Xiaohongshu => "xhs",
            Channel::X => "x",
            Channel::Facebook => "fb",
        };
        format!("{prefix}{:07}", user.1)
    }
}

fn date(s: &str) -> Date {
    Date::parse(s).expect("demo dates are valid")
}

/// Local midnight at the start of `d`, as Unix seconds.
fn day_start(d: Date) -> i64 {
    d.to_days() * 86_400 - UTC_OFFSET_S
}

/// Users per channel at scale 1; official accounts' audiences are windows into this.
fn population(channel: Channel, scale: f64) -> u32 {
    let base = match channel {
        Channel::Weibo => 40_000.0,
        Channel::Wechat => 25_000.0,
        Channel::Douyin => 30_000.0,
        Channel::Xiaohongshu => 12_000.0,
        Channel::X => 10_000.0,
        Channel::Facebook => 8_000.0,
    };
    (base * scale) as u32
}

const KOL_NAMES: &[&str] = &[
    "美食家小林",
    "TravelWithMia",
    "跑步的阿杰",
    "茶道老师王静",
    "TechDaily",
    "健身教练Leo",
    "生活家Cindy",
    "城市漫游者",
    "GadgetGuru",
    "小红薯日记",
    "运动达人Kevin",
    "早餐研究所",
];

const BRANDS: &[BrandSeed] = &[
    BrandSeed {
        name: "茶语 TeaWhisper",
        competitor: false,
        keywords: &["茶语", "TeaWhisper", "#茶语春茶#"],
    },
    BrandSeed {
        name: "青岚运动 Qinglan Sports",
        competitor: false,
        keywords: &["青岚", "Qinglan", "#夏日跑者#"],
    },
    BrandSeed {
        name: "山泉饮料 MountainSpring",
        competitor: true,
        keywords: &["山泉饮料", "MountainSpring"],
    },
];

/// (brand, channel, handle, followers): each brand runs several official
/// accounts (an account matrix) whose audiences overlap.
const OWNED: &[(usize, Channel, &str, i64)] = &[
    (0, Channel::Weibo, "茶语官方", 850_000),
    (0, Channel::Weibo, "茶语会员中心 TeaWhisper Club", 120_000),
    (0, Channel::Wechat, "茶语生活", 300_000),
    (0, Channel::Douyin, "茶语TeaWhisper", 500_000),
    (0, Channel::Xiaohongshu, "茶语小红书", 80_000),
    (1, Channel::Weibo, "青岚运动", 400_000),
    (1, Channel::Weibo, "青岚女子跑 Qinglan Women Run", 60_000),
    (1, Channel::Douyin, "青岚跑团", 260_000),
    (1, Channel::X, "QinglanRun", 45_000),
    (2, Channel::Weibo, "山泉饮料官方", 1_200_000),
    (2, Channel::Douyin, "山泉饮料 MountainSpring", 700_000),
];

struct Builder {
    rng: Rng,
    scale: f64,
    demo: Demo,
    /// Account row of each channel user who has one.
    account_of: HashMap<UserId, usize>,
    /// Audience window (first user, length) of each owned account.
    audience: HashMap<usize, (u32, u32)>,
    kols: HashMap<Channel, Vec<usize>>,
    /// Next unused user index per channel beyond the regular population, for
    /// accounts that must be new (zombies).
    next_extra: HashMap<Channel, u32>,
}

/// Generates the demo workspace.
pub fn generate(size: DemoSize) -> Demo {
    let scale = size.scale();
    let campaigns = vec![
        CampaignSeed {
            brand: 0,
            name: "春季新品上市 Spring Tea Launch",
            start: date("2026-03-01"),
            end: date("2026-03-28"),
            budget_cents: 8_000_000,
            channels: vec![
                Channel::Weibo,
                Channel::Wechat,
                Channel::Douyin,
                Channel::Xiaohongshu,
            ],
            keywords: &["#茶语春茶#", "春茶"],
        },
        CampaignSeed {
            brand: 1,
            name: "夏日跑者挑战 Summer Runner Challenge",
            start: date("2026-03-10"),
            end: date("2026-04-06"),
            budget_cents: 5_000_000,
            channels: vec![Channel::Weibo, Channel::Douyin, Channel::X],
            keywords: &["#夏日跑者#"],
        },
        CampaignSeed {
            brand: 0,
            name: "清明茶礼 Qingming Gift Box",
            start: date("2026-03-20"),
            end: date("2026-04-10"),
            budget_cents: 3_000_000,
            channels: vec![Channel::Wechat, Channel::Weibo, Channel::Xiaohongshu],
            keywords: &["茶礼", "清明"],
        },
    ];
    let mut b = Builder {
        rng: Rng::new(SEED),
        scale,
        demo: Demo {
            slug: "demo",
            name: "星火数字营销 Spark Digital Agency",
            brands: BRANDS.to_vec(),
            campaigns,
            accounts: Vec::new(),
            posts: Vec::new(),
            exposures: Vec::new(),
            engagements: Vec::new(),
            follows: Vec::new(),
            conversions: Vec::new(),
            mentions: Vec::new(),
            manifest: Manifest::default(),
        },
        account_of: HashMap::new(),
        audience: HashMap::new(),
        kols: HashMap::new(),
        next_extra: HashMap::new(),
    };
    b.official_accounts();
    b.kol_accounts();
    // Campaign weights: the first is the flagship, with the viral hero post.
    let plans = [
        (0usize, 1.0, Some(size.hero_nodes()), 0.18),
        (1, 0.6, Some(size.hero_nodes() / 4), 0.08),
        (2, 0.4, None, 0.05),
    ];
    for (campaign, weight, viral, zombie_share) in plans {
        b.campaign(campaign, weight, viral, zombie_share);
    }
    b.mentions();
    b.demo
}

impl Builder {
    fn official_accounts(&mut self) {
        let mut rng = self.rng.fork(1);
        let mut cursor: HashMap<Channel, u32> = HashMap::new();
        for &(brand, channel, handle, followers) in OWNED {
            let pop = population(channel, self.scale);
            // Windows of a third of the population, each starting 40% of a window
            // after the previous one on the channel: neighbours overlap.
            let len = pop / 3;
            let start = cursor.entry(channel).or_insert(0);
            let window = (*start % (pop - len), len);
            *start += len * 2 / 5;
            let user = (channel, self.extra_user(channel));
            let idx = self.push_account(AccountSeed {
                user,
                handle: handle.to_string(),
                kind: AccountKind::Owned,
                brand: Some(brand),
                followers,
                following: rng.below(300) as i64 + 20,
                posts: rng.below(4000) as i64 + 500,
                created_at: day_start(date("2016-01-01")) + rng.below(4 * 365) as i64 * 86_400,
                verified: true,
            });
            self.audience.insert(idx, window);
        }
    }

    fn kol_accounts(&mut self) {
        let mut rng = self.rng.fork(2);
        let channels = [
            Channel::Weibo,
            Channel::Wechat,
            Channel::Douyin,
            Channel::Xiaohongshu,
            Channel::X,
        ];
        for (i, channel) in channels.into_iter().enumerate() {
            for k in 0..8 {
                let name = KOL_NAMES[(i * 5 + k) % KOL_NAMES.len()];
                // Heavy tail: most KOLs have tens of thousands of followers, a few millions.
                let followers = rng.pareto(30_000.0, 1.1).min(2e7) as i64;
                let user = (channel, self.extra_user(channel));
                let idx = self.push_account(AccountSeed {
                    user,
                    handle: name.to_string(),
                    kind: AccountKind::Kol,
                    brand: None,
                    followers,
                    following: rng.below(800) as i64 + 50,
                    posts: rng.below(8000) as i64 + 300,
                    created_at: day_start(date("2014-01-01")) + rng.below(8 * 365) as i64 * 86_400,
                    verified: rng.chance(0.7),
                });
                self.kols.entry(channel).or_default().push(idx);
            }
        }
    }

    fn extra_user(&mut self, channel: Channel) -> u32 {
        let pop = population(channel, self.scale);
        let next = self.next_extra.entry(channel).or_insert(pop);
        *next += 1;
        *next - 1
    }

    fn push_account(&mut self, account: AccountSeed) -> usize {
        let idx = self.demo.accounts.len();
        self.account_of.insert(account.user, idx);
        self.demo.accounts.push(account);
        idx
    }

    /// The account row of a regular user, created with plausible features on
    /// first use.
    fn regular_account(&mut self, user: UserId, rng: &mut Rng) -> usize {
        if let Some(&idx) = self.account_of.get(&user) {
            return idx;
        }
        self.push_account(AccountSeed {
            user,
            handle: format!(
                "{}_{}",
                ["user", "用户", "fan", "小"][user.1 as usize % 4],
                user.1
            ),
            kind: AccountKind::Regular,
            brand: None,
            followers: rng.lognormal(150.0, 1.5).min(5e6) as i64,
            following: rng.lognormal(300.0, 0.8).min(5e3) as i64,
            posts: rng.lognormal(200.0, 1.2).clamp(1.0, 1e5) as i64,
            created_at: day_start(date("2026-03-01")) - (100 + rng.below(3000) as i64) * 86_400,
            verified: false,
        })
    }

    fn campaign(&mut self, c: usize, weight: f64, viral: Option<usize>, zombie_share: f64) {
        let mut rng = self.rng.fork(100 + c as u64);
        let camp = self.demo.campaigns[c].clone();
        let start = day_start(camp.start);
        let end = day_start(camp.end) + 86_400 - 1;
        let span = end - start;
        let owned: Vec<usize> = (0..self.demo.accounts.len())
            .filter(|&i| {
                let a = &self.demo.accounts[i];
                a.brand == Some(camp.brand) && camp.channels.contains(&a.user.0)
            })
            .collect();
        let originals = (30.0 * weight * self.scale).round().max(3.0) as usize;
        let first_post = self.demo.posts.len();
        for k in 0..originals {
            let channel = camp.channels[rng.below(camp.channels.len() as u64) as usize];
            let kols = self.kols.get(&channel).cloned().unwrap_or_default();
            let owned_here: Vec<usize> = owned
                .iter()
                .copied()
                .filter(|&i| self.demo.accounts[i].user.0 == channel)
                .collect();
            let by_kol = owned_here.is_empty() || (rng.chance(0.4) && !kols.is_empty());
            let (author, paid) = if by_kol {
                (kols[rng.below(kols.len() as u64) as usize], true)
            } else {
                (
                    owned_here[rng.below(owned_here.len() as u64) as usize],
                    false,
                )
            };
            let hero = k == 0 && viral.is_some();
            let followers = self.demo.accounts[author].followers as f64;
            let shape = if hero {
                CascadeShape {
                    root_children_mean: 60.0,
                    offspring_mean: 1.02,
                    max_nodes: viral.unwrap_or(1),
                    delay_median_s: 1500.0,
                    delay_sigma: 1.4,
                }
            } else {
                CascadeShape {
                    root_children_mean: (followers.sqrt() / 12.0).clamp(4.0, 300.0),
                    offspring_mean: 0.05 + rng.f64() * 0.35,
                    max_nodes: 5_000,
                    delay_median_s: 2400.0,
                    delay_sigma: 1.3,
                }
            };
            let tree = if hero {
                synth::branching_cascade_at_least(&mut rng, &shape, shape.max_nodes * 3 / 4)
            } else {
                synth::branching_cascade(&mut rng, &shape)
            };
            // Originals go out in daytime during the first 90% of the campaign.
            let day = rng.below((span as f64 * 0.9 / 86_400.0).max(1.0) as u64) as i64;
            let at = start + day * 86_400 + 9 * 3600 + rng.below(12 * 3600) as i64;
            let root = self.cascade(c, k, author, paid, at, end, &tree, hero, &mut rng);
            if hero && c == 0 {
                self.demo.manifest.hero_root = self.demo.posts[root as usize].client_id.clone();
                self.demo.manifest.hero_nodes = tree.len();
            }
        }
        let campaign_posts = first_post..self.demo.posts.len();
        self.exposures_and_engagement(
            c,
            campaign_posts,
            weight,
            end,
            &owned,
            zombie_share,
            &mut rng,
        );
    }

    /// Stores one cascade's posts and the repost exposures and engagements it
    /// implies; returns the root's post index.
    #[allow(clippy::too_many_arguments)]
    fn cascade(
        &mut self,
        c: usize,
        k: usize,
        author: usize,
        paid: bool,
        at: i64,
        end: i64,
        tree: &synth::SynthCascade,
        hero: bool,
        rng: &mut Rng,
    ) -> u32 {
        let channel = self.demo.accounts[author].user.0;
        let pop = population(channel, self.scale);
        let base = self.demo.posts.len() as u32;
        // KOLs author the reposts that were reposted most: that is how they
        // become the key spreaders a marketer should find.
        let mut children = vec![0u32; tree.len()];
        for &p in &tree.parent[1..] {
            children[p as usize] += 1;
        }
        let mut by_children: Vec<usize> = (1..tree.len()).collect();
        by_children.sort_by_key(|&v| std::cmp::Reverse(children[v]));
        let kols = self.kols.get(&channel).cloned().unwrap_or_default();
        let mut kol_for: HashMap<usize, usize> = HashMap::new();
        for (i, &v) in by_children.iter().take(3.min(kols.len())).enumerate() {
            if children[v] >= 5 {
                kol_for.insert(v, kols[(i + k) % kols.len()]);
            }
        }
        for v in 0..tree.len() {
            let when = (at + i64::from(tree.offset_s[v])).min(end);
            let (account, parent) = if v == 0 {
                (author, None)
            } else {
                let acct = match kol_for.get(&v) {
                    Some(&kol) => kol,
                    None => {
                        let user = (channel, rng.skewed_index(u64::from(pop), 1.3) as u32);
                        self.regular_account(user, rng)
                    }
                };
                (acct, Some(base + tree.parent[v]))
            };
            let text = match parent {
                None => format!(
                    "{} #{}# 新品上市，快来试试！New arrivals are here.",
                    self.demo.accounts[author].handle,
                    c + 1
                ),
                Some(_) => "转发微博 //@ repost".to_string(),
            };
            self.demo.posts.push(PostSeed {
                client_id: format!("c{}-k{}-n{}", c + 1, k, v),
                campaign: c,
                account,
                at: when,
                root: (v > 0).then_some(base),
                parent,
                paid: v == 0 && paid,
                text,
            });
            if let Some(p) = parent {
                // A reposter saw the post first, then reposted it.
                let user = self.demo.accounts[account].user;
                let seen = (when - 1 - rng.below(600) as i64).max(self.demo.posts[p as usize].at);
                self.demo.exposures.push(TouchSeed {
                    campaign: c,
                    user,
                    post: p,
                    at: seen,
                });
                self.demo.engagements.push((
                    TouchSeed {
                        campaign: c,
                        user,
                        post: p,
                        at: when,
                    },
                    EngagementKind::Repost,
                ));
            }
        }
        if hero && c == 0 {
            self.paid_burst(c, k, base, tree, end, rng);
        }
        base
    }

    /// Plants a burst of reposts by low-quality accounts within seconds, under
    /// a first-level node of the hero cascade.
    fn paid_burst(
        &mut self,
        c: usize,
        k: usize,
        base: u32,
        tree: &synth::SynthCascade,
        end: i64,
        rng: &mut Rng,
    ) {
        let Some(target) = (1..tree.len()).find(|&v| tree.level[v] == 1) else {
            return;
        };
        let parent = base + target as u32;
        let channel = self.demo.accounts[self.demo.posts[base as usize].account]
            .user
            .0;
        let t0 = (self.demo.posts[parent as usize].at + 3 * 3600).min(end - 120);
        let n = (300.0 * self.scale.sqrt()) as usize;
        self.demo.manifest.burst_parent = self.demo.posts[parent as usize].client_id.clone();
        for i in 0..n {
            let user = (channel, self.extra_user(channel));
            let account = self.push_account(AccountSeed {
                user,
                handle: format!("水军{:05}", user.1 % 100_000),
                kind: AccountKind::Regular,
                brand: None,
                followers: rng.below(8) as i64,
                following: 800 + rng.below(2000) as i64,
                posts: rng.below(3) as i64,
                created_at: t0 - (1 + rng.below(20) as i64) * 86_400,
                verified: false,
            });
            let at = t0 + rng.below(45) as i64;
            let client_id = format!("c{}-k{}-burst{}", c + 1, k, i);
            self.demo.manifest.burst_posts.push(client_id.clone());
            self.demo.posts.push(PostSeed {
                client_id,
                campaign: c,
                account,
                at,
                root: Some(base),
                parent: Some(parent),
                paid: false,
                text: "好喝！推荐！转发 //@".into(),
            });
            self.demo.exposures.push(TouchSeed {
                campaign: c,
                user,
                post: parent,
                at: at - 1,
            });
            self.demo.engagements.push((
                TouchSeed {
                    campaign: c,
                    user,
                    post: parent,
                    at,
                },
                EngagementKind::Repost,
            ));
        }
    }

    /// Exposures of the campaign's posts beyond the reposters, and the likes,
    /// comments, clicks, follows, unfollows and conversions that follow them.
    #[allow(clippy::too_many_arguments)]
    fn exposures_and_engagement(
        &mut self,
        c: usize,
        posts: std::ops::Range<usize>,
        weight: f64,
        end: i64,
        owned: &[usize],
        zombie_share: f64,
        rng: &mut Rng,
    ) {
        let budget = 60_000.0 * weight * self.scale;
        let weights: Vec<f64> = posts
            .clone()
            .map(|p| {
                (self.demo.accounts[self.demo.posts[p].account]
                    .followers
                    .max(1) as f64)
                    .powf(0.6)
            })
            .collect();
        let total: f64 = weights.iter().sum();
        let mut fans: Vec<(UserId, usize, i64, u32)> = Vec::new();
        let mut engaged_once: HashMap<UserId, ()> = HashMap::new();
        for (p, w) in posts.zip(weights) {
            let expected = budget * w / total;
            let count = rng.poisson(expected);
            let author = self.demo.posts[p].account;
            let channel = self.demo.accounts[author].user.0;
            let pop = population(channel, self.scale);
            let window = self.audience.get(&author).copied();
            let posted = self.demo.posts[p].at;
            for _ in 0..count {
                let idx = match window {
                    Some((first, len)) => first + rng.skewed_index(u64::from(len), 1.2) as u32,
                    None => rng.skewed_index(u64::from(pop), 1.4) as u32,
                };
                let user = (channel, idx);
                let at = (posted + rng.exponential(12.0 * 3600.0) as i64).min(end);
                self.demo.exposures.push(TouchSeed {
                    campaign: c,
                    user,
                    post: p as u32,
                    at,
                });
                if !rng.chance(0.10) {
                    continue;
                }
                let kind = match rng.below(20) {
                    0..=11 => EngagementKind::Like,
                    12..=14 => EngagementKind::Comment,
                    _ => EngagementKind::Click,
                };
                let eng_at = (at + rng.exponential(1200.0) as i64).min(end);
                self.demo.engagements.push((
                    TouchSeed {
                        campaign: c,
                        user,
                        post: p as u32,
                        at: eng_at,
                    },
                    kind,
                ));
                // A user follows at most once per campaign.
                if engaged_once.insert(user, ()).is_some() || !rng.chance(0.35) {
                    continue;
                }
                let targets: Vec<usize> = owned
                    .iter()
                    .copied()
                    .filter(|&a| self.demo.accounts[a].user.0 == channel)
                    .collect();
                if targets.is_empty() {
                    continue;
                }
                let account = targets[rng.below(targets.len() as u64) as usize];
                let follow_at = eng_at + rng.exponential(2.0 * 3600.0) as i64;
                if follow_at > end {
                    continue;
                }
                self.regular_account(user, rng);
                fans.push((user, account, follow_at, p as u32));
            }
        }
        for &(user, account, at, post) in &fans {
            self.demo.follows.push(FollowSeed {
                campaign: c,
                user,
                account,
                follow: true,
                at,
            });
            // Some fans leave again within weeks (retention), after the campaign too.
            if rng.chance(0.15) {
                let gone = at + rng.exponential(12.0 * 86_400.0) as i64 + 3600;
                self.demo.follows.push(FollowSeed {
                    campaign: c,
                    user,
                    account,
                    follow: false,
                    at: gone,
                });
            }
            if rng.chance(0.25) {
                let at = at + rng.exponential(2.0 * 86_400.0) as i64;
                if at <= end {
                    let (kind, value_cents) = match rng.below(10) {
                        0..=6 => (
                            ConversionKind::Purchase,
                            (rng.lognormal(89.0, 0.6) * 100.0).round() as i64,
                        ),
                        7..=8 => (
                            ConversionKind::Coupon,
                            (rng.lognormal(59.0, 0.4) * 100.0).round() as i64,
                        ),
                        _ => (ConversionKind::Signup, 0),
                    };
                    self.demo.conversions.push(ConversionSeed {
                        campaign: c,
                        user,
                        kind,
                        value_cents,
                        post,
                        at,
                    });
                }
            }
        }
        self.zombie_fans(c, fans.len(), zombie_share, owned, end, rng);
    }

    /// Plants zombie fans: brand-new accounts with no posts that follow far
    /// more accounts than follow them, arriving in batches within one second.
    fn zombie_fans(
        &mut self,
        c: usize,
        organic: usize,
        share: f64,
        owned: &[usize],
        end: i64,
        rng: &mut Rng,
    ) {
        let n = ((organic as f64) * share / (1.0 - share)).round() as usize;
        if owned.is_empty() || n == 0 {
            return;
        }
        let start = day_start(self.demo.campaigns[c].start);
        let mut made = 0;
        while made < n {
            let account = owned[rng.below(owned.len() as u64) as usize];
            let channel = self.demo.accounts[account].user.0;
            let at = start + rng.below((end - start) as u64) as i64;
            let batch = (15 + rng.below(20) as usize).min(n - made);
            for _ in 0..batch {
                let user = (channel, self.extra_user(channel));
                self.push_account(AccountSeed {
                    user,
                    handle: format!("user{}", 90_000_000 + u64::from(user.1)),
                    kind: AccountKind::Regular,
                    brand: None,
                    followers: rng.below(4) as i64,
                    following: 1500 + rng.below(1500) as i64,
                    posts: 0,
                    created_at: at - rng.below(7 * 86_400) as i64,
                    verified: false,
                });
                self.demo.manifest.zombie_fans.push(Demo::platform_id(user));
                self.demo.follows.push(FollowSeed {
                    campaign: c,
                    user,
                    account,
                    follow: true,
                    at,
                });
                // Platforms purge many of them later.
                if rng.chance(0.5) {
                    let gone = at + rng.exponential(20.0 * 86_400.0) as i64 + 86_400;
                    self.demo.follows.push(FollowSeed {
                        campaign: c,
                        user,
                        account,
                        follow: false,
                        at: gone,
                    });
                }
            }
            made += batch;
        }
        let follows = (organic + n) as f64;
        self.demo.manifest.zombie_share.push(n as f64 / follows);
    }

    /// Hourly mentions of every brand with a daily rhythm, and one planted
    /// spike for the first brand.
    fn mentions(&mut self) {
        let mut rng = self.rng.fork(9);
        let first = day_start(date("2026-03-01"));
        let last = day_start(date("2026-04-10")) + 86_400;
        let spike_start = day_start(date("2026-03-14")) + 20 * 3600;
        let spike_hours = 3;
        let base_rates = [6.0, 3.0, 7.0];
        let channels = [
            Channel::Weibo,
            Channel::Douyin,
            Channel::Xiaohongshu,
            Channel::Wechat,
        ];
        let mut hour = first;
        while hour < last {
            let local_hour = ((hour + UTC_OFFSET_S) / 3600 % 24) as f64;
            // Quiet at night, busiest in the evening.
            let rhythm = 0.35
                + 0.65 * (((local_hour - 21.0) / 24.0 * std::f64::consts::TAU).cos() * 0.5 + 0.5);
            for (brand, rate) in base_rates.iter().enumerate() {
                let mut mean = rate * rhythm * self.scale.sqrt();
                let spiking =
                    brand == 0 && hour >= spike_start && hour < spike_start + spike_hours * 3600;
                if spiking {
                    mean *= 14.0;
                }
                for _ in 0..rng.poisson(mean) {
                    let channel = channels[rng.below(channels.len() as u64) as usize];
                    let user = (
                        channel,
                        rng.below(u64::from(population(channel, self.scale))) as u32,
                    );
                    let keyword = BRANDS[brand].keywords
                        [rng.below(BRANDS[brand].keywords.len() as u64) as usize];
                    let text = if spiking {
                        format!("{keyword} 新品喝出异物？求官方回应 #食品安全#")
                    } else {
                        format!("今天试了{keyword}，味道不错 👍")
                    };
                    self.demo.mentions.push(MentionSeed {
                        brand,
                        user,
                        text,
                        at: hour + rng.below(3600) as i64,
                    });
                }
            }
            hour += 3600;
        }
        self.demo.manifest.spike_brand = BRANDS[0].name.to_string();
        self.demo.manifest.spike_start = spike_start;
        self.demo.manifest.spike_hours = spike_hours as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let a = generate(DemoSize::Small);
        let b = generate(DemoSize::Small);
        assert_eq!(a.event_count(), b.event_count());
        assert_eq!(a.manifest.hero_root, b.manifest.hero_root);
        assert_eq!(a.posts.last().map(|p| p.at), b.posts.last().map(|p| p.at));
    }

    #[test]
    fn small_demo_has_the_promised_scale() {
        let d = generate(DemoSize::Small);
        let n = d.event_count();
        assert!((150_000..=260_000).contains(&n), "{n} events");
        assert!(
            (15_000..=20_000).contains(&d.manifest.hero_nodes),
            "{}",
            d.manifest.hero_nodes
        );
        assert!(d.manifest.burst_posts.len() >= 250);
    }
}
