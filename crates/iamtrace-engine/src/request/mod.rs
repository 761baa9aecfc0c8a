//! The request being authorized: caller, action, resource, resource owner and context (§1.1).

mod caller;
mod context;

pub use caller::{Caller, CallerError};
pub use context::{
    too_many_values, ContextEntry, ContextMap, ContextValue, KeySource, MAX_VALUES_PER_KEY,
};

use serde::{Deserialize, Serialize};

/// A request ready for evaluation: the caller is parsed and the context holds both the keys the
/// user gave and the keys derived from the caller and resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub caller: Caller,
    /// `service:Action` as given (matching is case-insensitive).
    pub action: String,
    /// The resource ARN, or `*` for actions without resource-level permissions.
    pub resource: String,
    /// The account that owns the resource (explicit input, or the ARN's account field, §7).
    pub resource_account: Option<String>,
    pub context: ContextMap,
    /// The caller's IAM user or role has a permissions boundary (a `NotPrincipal` deny then always
    /// applies to it, §1.4).
    pub caller_has_permissions_boundary: bool,
}

impl Request {
    /// The service prefix of the action, lower-cased (`s3` for `s3:GetObject`).
    pub fn service(&self) -> String {
        self.action
            .split(':')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    }

    /// Whether caller and resource owner are different accounts (§1.5). Unknown owner: same account.
    pub fn is_cross_account(&self) -> bool {
        match (self.caller.account(), self.resource_account.as_deref()) {
            (Some(c), Some(r)) => c != r,
            _ => false,
        }
    }
}
