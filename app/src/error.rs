//! What can go wrong when the app talks to the API, phrased for the person
//! looking at the page.

use crate::i18n::{Msg, t};
use analytics::Lang;

/// A failed API call.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The request never got an answer: the server is down or unreachable.
    Unreachable(String),
    /// The server answered with an error status and (usually) a JSON error body.
    Status { status: u16, message: String },
    /// The answer was not what this version of the app understands.
    Malformed(String),
}

impl ApiFailure {
    /// A short headline for the error panel.
    pub fn title(&self, lang: Lang) -> &'static str {
        match self {
            ApiFailure::Unreachable(_) => t(lang, Msg::ErrorUnreachable),
            ApiFailure::Status { status: 404, .. } => t(lang, Msg::ErrorNotFound),
            ApiFailure::Status { .. } => t(lang, Msg::ErrorServer),
            ApiFailure::Malformed(_) => t(lang, Msg::ErrorMalformed),
        }
    }

    /// The technical detail, shown under the headline.
    pub fn detail(&self) -> String {
        match self {
            ApiFailure::Unreachable(e) => e.clone(),
            ApiFailure::Status { status, message } => format!("HTTP {status}: {message}"),
            ApiFailure::Malformed(e) => e.clone(),
        }
    }
}
