//! Why a permalink could not be opened.

use crate::scenario::ScenarioError;

/// A permalink that cannot be opened. The `Display` text is meant for the user as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The text holds no `v<N>.` link at all.
    NotALink,
    /// Made by a newer iamtrace with a link format this build does not know.
    NewerVersion(u32),
    /// Longer than any link this build writes: refused before any work.
    TooLong { chars: usize, max: usize },
    /// Unpacks to more than any real scenario (a decompression bomb).
    TooLarge { max: usize },
    /// Cut off, altered or otherwise unreadable; the text says how.
    Damaged(String),
    /// The link is intact but the scenario inside cannot be read.
    Scenario(ScenarioError),
}

impl ShareError {
    /// A stable short name of the kind of error (for scripts and the JS bindings).
    pub fn kind(&self) -> &'static str {
        match self {
            ShareError::NotALink => "not_a_link",
            ShareError::NewerVersion(_) => "newer_version",
            ShareError::TooLong { .. } => "too_long",
            ShareError::TooLarge { .. } => "too_large",
            ShareError::Damaged(_) => "damaged",
            ShareError::Scenario(_) => "scenario",
        }
    }
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::NotALink => {
                f.write_str("this is not an iamtrace link (expected a fragment like #s=v1.…)")
            }
            ShareError::NewerVersion(v) => write!(
                f,
                "this link was made by a newer iamtrace (format v{v}); this version reads links up to v{}. Open it with the latest iamtrace",
                super::CURRENT_LINK_VERSION
            ),
            ShareError::TooLong { chars, max } => write!(
                f,
                "this link is {chars} characters long, more than an iamtrace link can be ({max}); it was not opened"
            ),
            ShareError::TooLarge { max } => write!(
                f,
                "this link unpacks to more than {} KiB, more than any real scenario; it was not opened",
                max / 1024
            ),
            ShareError::Damaged(why) => {
                write!(f, "this link is damaged: {why}. Was it cut off or changed when it was copied?")
            }
            ShareError::Scenario(e) => write!(f, "this link holds a scenario that cannot be read: {e}"),
        }
    }
}

impl std::error::Error for ShareError {}
