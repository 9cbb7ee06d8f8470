//! Suspected fakes, defined once: zombie fans (僵尸粉) from an account's
//! profile, paid posters (水军) from the post's own `paid` flag. The server
//! splits every rollup and reach sketch by this flag at ingest, so the
//! dashboard's with/without views are a subtraction, never a raw scan.
//!
//! An account is a suspected zombie when at least two of the three signals
//! hold at the time of the event (an account without a profile is not
//! suspected: there is nothing to judge):
//! - **no posts**: it has never posted;
//! - **new account**: created less than 30 days before the event;
//! - **follows far more**: it follows at least 500 accounts and at least 20
//!   times as many as follow it.

use serde::{Deserialize, Serialize};

/// What an account's profile says, as the account events carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Profile {
    pub followers: i64,
    pub following: i64,
    pub posts: i64,
    /// Unix seconds, when known.
    pub created_at: Option<i64>,
}

/// One reason to suspect an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    NoPosts,
    NewAccount,
    FollowsFarMore,
}

impl Signal {
    pub const ALL: [Signal; 3] = [Signal::NoPosts, Signal::NewAccount, Signal::FollowsFarMore];
}

/// Signals needed to suspect an account.
pub const MIN_SIGNALS: usize = 2;
/// An account younger than this at the event is new.
pub const NEW_ACCOUNT_SECONDS: i64 = 30 * 86_400;
/// "Follows far more": at least this many followings…
pub const FOLLOWING_AT_LEAST: i64 = 500;
/// …and at least this many times its followers.
pub const FOLLOWING_RATIO: i64 = 20;

/// The signals that hold for `profile` at `at` (Unix seconds).
pub fn signals(profile: &Profile, at: i64) -> Vec<Signal> {
    Signal::ALL
        .into_iter()
        .filter(|s| match s {
            Signal::NoPosts => profile.posts == 0,
            Signal::NewAccount => profile
                .created_at
                .is_some_and(|c| at - c < NEW_ACCOUNT_SECONDS),
            Signal::FollowsFarMore => {
                profile.following >= FOLLOWING_AT_LEAST
                    && profile.following / FOLLOWING_RATIO >= profile.followers.max(1)
            }
        })
        .collect()
}

/// Whether an account with `profile` (if it has one) is a suspected zombie
/// at `at`.
pub fn zombie(profile: Option<&Profile>, at: i64) -> bool {
    profile.is_some_and(|p| signals(p, at).len() >= MIN_SIGNALS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn two_signals_make_a_suspect() {
        let fresh_follower = Profile {
            followers: 2,
            following: 1600,
            posts: 0,
            created_at: Some(1000 * DAY),
        };
        assert_eq!(
            signals(&fresh_follower, 1003 * DAY),
            vec![Signal::NoPosts, Signal::NewAccount, Signal::FollowsFarMore]
        );
        assert!(zombie(Some(&fresh_follower), 1003 * DAY));
        // Aged past 30 days and posting: one signal left.
        let aged = Profile {
            posts: 12,
            ..fresh_follower
        };
        assert_eq!(signals(&aged, 1031 * DAY), vec![Signal::FollowsFarMore]);
        assert!(!zombie(Some(&aged), 1031 * DAY));
        // Exactly at the thresholds.
        let edge = Profile {
            followers: 25,
            following: 500,
            posts: 0,
            created_at: None,
        };
        assert_eq!(
            signals(&edge, 0),
            vec![Signal::NoPosts, Signal::FollowsFarMore]
        );
        let below = Profile {
            following: 499,
            ..edge
        };
        assert_eq!(signals(&below, 0), vec![Signal::NoPosts]);
        // No profile: nothing to judge.
        assert!(!zombie(None, 0));
        // A huge following never overflows.
        let huge = Profile {
            followers: i64::MAX,
            following: i64::MAX,
            posts: 1,
            created_at: None,
        };
        assert!(signals(&huge, 0).is_empty());
    }
}
