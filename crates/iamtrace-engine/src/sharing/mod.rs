//! Permalinks: the whole scenario, compressed and versioned, in a URL fragment.
//!
//! A link is `#s=v1.<data>&c=<catalog>`: the fragment never reaches a server, so nothing leaves the browser.
//! `<data>` is the scenario as compact JSON, deflated against a frozen dictionary of IAM words,
//! followed by an Adler-32 checksum, in unpadded base64url. `<catalog>` is the version of AWS's
//! catalog the link was made with (optional; older links have none). Every format version ever written stays
//! readable; [`decode`] refuses damaged, future and hostile links with a message a user understands.

mod codec;
mod compact;
mod dictionary;
mod error;
mod permalink;
pub mod redact;

pub use compact::{compact_json, ordered_json};
pub use error::ShareError;
pub use permalink::{
    catalog_version, decode, encode, open, OpenedLink, CATALOG_KEY, CURRENT_LINK_VERSION,
    FRAGMENT_KEY, MAX_INFLATED_BYTES, MAX_LINK_CHARS,
};
pub use redact::{redact, Kept, Redaction, Replaced};
