//! `Principal` / `NotPrincipal` matching (rules §3.5, §1.4, §5.3): every principal form,
//! with the grant class the decision's same-account table needs.
//!
//! A caller has an *identity chain*: an IAM user is {user ARN, account}; a role session is
//! {session ARN, role, account}; a federated user is {federated-user ARN, federating IAM user,
//! account}; the root user is {account}; a service principal is {its name}. An entry matches when
//! it names a chain member; which member decides the [`GrantKind`].

use crate::explain::{Applies, ElementTrace, GrantKind, MatchedEntry, PrincipalTrace};
use crate::policy::{Effect, PrincipalBlock, PrincipalEntry, PrincipalKind};
use crate::request::{Caller, ContextValue, Request};

use super::arn::split_arn;

/// Assumption recorded when a unique ID in `Principal` is compared with `aws:userid`.
pub const ASSUME_UNIQUE_ID: &str = "AWS does not document how a principal given as a unique ID \
(AIDA…/AROA…) is matched offline; we assume it names the caller only when the request's \
aws:userid is that ID (users) or starts with it followed by ':' (role sessions).";

/// Assumption recorded when a `Federated` principal is compared with `aws:FederatedProvider`.
pub const ASSUME_FEDERATED: &str = "AWS does not document a context key naming the SAML provider; \
we assume a Federated principal matches when the request's aws:FederatedProvider equals it \
(OIDC and SAML alike), whoever the caller is, since AssumeRoleWithWebIdentity/SAML calls are not \
signed with AWS credentials.";

/// Assumption recorded when a federated user's exemption in `NotPrincipal` is decided.
pub const ASSUME_FEDERATED_PARENT: &str = "AWS does not say whether a NotPrincipal exemption of a \
federated user must also list the IAM user who called GetFederationToken (the request does not \
name that user); we require the federated-user ARN and the account only.";

/// Assumption recorded for an `Allow` with `NotPrincipal`.
pub const ASSUME_NOTPRINCIPAL_ALLOW: &str = "AWS does not document how an Allow with NotPrincipal \
grants in the same-account table; we treat it like a \"*\" grant.";

/// Assumption recorded when an `Allow` with `NotPrincipal` lists part of the caller's identity
/// chain. AWS says NotPrincipal "must be used with Deny" and that using it with Allow "is not
/// supported" (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>).
pub const ASSUME_NOTPRINCIPAL_ALLOW_CHAIN: &str = "AWS does not document this; we assume an Allow \
with NotPrincipal (which AWS does not support) grants nothing to a caller when any member of its \
identity chain (its own ARN, its role, its account) is listed, so that the exception never widens \
access.";

/// Assumption recorded when a `Deny` with `NotPrincipal` lists only part of the caller's chain.
pub const ASSUME_NOTPRINCIPAL_DENY_CHAIN: &str = "AWS does not document this; we assume a Deny \
with NotPrincipal exempts a caller only when every member of its identity chain is listed (the \
NotPrincipal page says AWS may check the account, then the role, then the session): a partly \
listed caller is denied.";

/// How one principal entry relates to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryMatch {
    /// `Yes` (names a member of the caller's chain), `No`, or `Unknown` (cannot be decided offline).
    pub outcome: Applies,
    /// The chain member named, when `outcome` is `Yes`.
    pub grant: Option<GrantKind>,
    /// A sentence for the trace.
    pub note: String,
    /// An assumption the outcome rests on.
    pub assumption: Option<&'static str>,
}

impl EntryMatch {
    fn yes(grant: GrantKind, note: impl Into<String>) -> Self {
        EntryMatch {
            outcome: Applies::Yes,
            grant: Some(grant),
            note: note.into(),
            assumption: None,
        }
    }
    fn no(note: impl Into<String>) -> Self {
        EntryMatch {
            outcome: Applies::No,
            grant: None,
            note: note.into(),
            assumption: None,
        }
    }
    fn unknown(note: impl Into<String>) -> Self {
        EntryMatch {
            outcome: Applies::Unknown,
            grant: None,
            note: note.into(),
            assumption: None,
        }
    }
    fn assuming(mut self, a: &'static str) -> Self {
        self.assumption = Some(a);
        self
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_unique_id(s: &str) -> bool {
    s.len() >= 16
        && s.starts_with('A')
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Whether the caller belongs to `account` of `partition` (`None` = the short account-ID form).
fn in_account(caller: &Caller, partition: Option<&str>, account: &str) -> bool {
    caller.account() == Some(account) && partition.is_none_or(|p| caller.partition() == Some(p))
}

/// Matches one entry of a `Principal`/`NotPrincipal` element against the request's caller.
pub fn match_principal_entry(entry: &PrincipalEntry, request: &Request) -> EntryMatch {
    let value = entry.value.value.as_str();
    let caller = &request.caller;
    match entry.kind {
        PrincipalKind::Any => {
            if value == "*" {
                EntryMatch::yes(GrantKind::Wildcard, "\"*\" names everyone")
            } else {
                EntryMatch::unknown(format!(
                    "AWS rejects this principal: a bare string may only be \"*\"; a principal is \
                     named as an object such as {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}, \
                     so '{value}' cannot be matched"
                ))
            }
        }
        PrincipalKind::Aws => match_aws(value, request),
        PrincipalKind::Service => match caller {
            Caller::Service { name } if name == value => {
                EntryMatch::yes(GrantKind::Service, format!("the caller is {value}"))
            }
            _ if value == "*" => EntryMatch::unknown(
                "a wildcard is not a service principal; AWS rejects {\"Service\": \"*\"}",
            ),
            _ => EntryMatch::no(format!("the caller is not the service principal {value}")),
        },
        PrincipalKind::Federated => match_federated(value, request),
        PrincipalKind::CanonicalUser => match caller {
            Caller::Anonymous | Caller::Service { .. } => {
                EntryMatch::no("a canonical user ID names an AWS account, not this caller")
            }
            _ => EntryMatch::unknown(
                "a canonical user ID names an AWS account by its S3 canonical ID, which cannot be \
                 mapped to the caller's account offline",
            ),
        },
    }
}

fn match_aws(value: &str, request: &Request) -> EntryMatch {
    let caller = &request.caller;
    if value == "*" {
        return EntryMatch::yes(GrantKind::Wildcard, "{\"AWS\": \"*\"} names everyone");
    }
    if is_account_id(value) {
        return if in_account(caller, None, value) {
            EntryMatch::yes(
                GrantKind::Account,
                format!("the caller belongs to account {value}"),
            )
        } else {
            EntryMatch::no(format!("the caller does not belong to account {value}"))
        };
    }
    if is_unique_id(value) {
        return match_unique_id(value, request).assuming(ASSUME_UNIQUE_ID);
    }
    let Some([_, partition, service, _, account, resource]) = split_arn(value) else {
        return EntryMatch::unknown(format!(
            "'{value}' is not an account ID, an ARN or a unique ID; AWS rejects it"
        ));
    };
    if !value.starts_with("arn:") || value.contains('*') || value.contains('?') {
        return EntryMatch::unknown(format!(
            "'{value}' is not a valid principal (wildcards may only be the whole value \"*\")"
        ));
    }
    let same_account = in_account(caller, Some(partition), account);
    match service {
        "iam" if resource == "root" => {
            if same_account {
                EntryMatch::yes(
                    GrantKind::Account,
                    format!("{value} names the account {account}, to which the caller belongs"),
                )
            } else {
                EntryMatch::no(format!("the caller does not belong to account {account}"))
            }
        }
        "iam" if resource.starts_with("user/") => match caller {
            Caller::IamUser { arn, .. } if arn == value => {
                EntryMatch::yes(GrantKind::Caller, "names the caller's own user ARN")
            }
            Caller::FederatedUser { .. } if same_account => EntryMatch::unknown(
                "names an IAM user of the caller's account; whether it is the user who called \
                 GetFederationToken for this federated user is not part of the request",
            ),
            _ => EntryMatch::no(format!("{value} is not the caller")),
        },
        "iam" if resource.starts_with("role/") => {
            let name = resource.rsplit('/').next().unwrap_or("");
            let role_name = match caller {
                Caller::RoleSession { role_name, .. } => Some(role_name),
                Caller::Role { name, .. } => Some(name),
                _ => None,
            };
            match role_name {
                Some(r) if same_account && r == name => {
                    let pathed = resource.matches('/').count() > 1;
                    EntryMatch::yes(
                        GrantKind::ParentEntity,
                        if pathed {
                            format!(
                                "names the caller's role {name}; the session ARN does not carry \
                                 the role's path, so the role is matched by name and account (§5.3)"
                            )
                        } else {
                            format!("names the caller's role {name} (the session's parent)")
                        },
                    )
                }
                _ => EntryMatch::no(format!("{value} is not the caller's role")),
            }
        }
        "sts" if resource.starts_with("assumed-role/") => match caller {
            Caller::RoleSession { arn, .. } if arn == value => {
                EntryMatch::yes(GrantKind::Caller, "names the caller's own role-session ARN")
            }
            _ => EntryMatch::no(format!("{value} is not the caller's session")),
        },
        "sts" if resource.starts_with("federated-user/") => match caller {
            Caller::FederatedUser { arn, .. } if arn == value => EntryMatch::yes(
                GrantKind::Caller,
                "names the caller's own federated-user ARN",
            ),
            _ => EntryMatch::no(format!("{value} is not the caller")),
        },
        _ => EntryMatch::unknown(format!(
            "'{value}' is not a principal ARN (root, user, role, assumed-role or federated-user); \
             AWS rejects it"
        )),
    }
}

fn match_unique_id(id: &str, request: &Request) -> EntryMatch {
    let userid = match request.context.get("aws:userid") {
        Some(ContextValue::Single(s)) => s.as_str(),
        _ => {
            return EntryMatch::no(format!(
                "{id} is a unique ID; it can only be matched against the request's aws:userid, \
                 which is not given"
            ))
        }
    };
    if id.starts_with("AIDA") && userid == id {
        return EntryMatch::yes(GrantKind::Caller, format!("aws:userid is {id}: the caller"));
    }
    if id.starts_with("AROA")
        && userid.strip_prefix(id).is_some_and(|r| r.starts_with(':'))
        && matches!(
            request.caller,
            Caller::RoleSession { .. } | Caller::Role { .. }
        )
    {
        return EntryMatch::yes(
            GrantKind::ParentEntity,
            format!("aws:userid {userid} is a session of the role {id}"),
        );
    }
    EntryMatch::no(format!("aws:userid {userid} is not the principal {id}"))
}

fn match_federated(value: &str, request: &Request) -> EntryMatch {
    let action = request.action.to_ascii_lowercase();
    let federating =
        action == "sts:assumerolewithwebidentity" || action == "sts:assumerolewithsaml";
    match request.context.get("aws:FederatedProvider") {
        Some(ContextValue::Single(p)) if p == value => EntryMatch::yes(
            GrantKind::Federated,
            format!("aws:FederatedProvider is {value}"),
        )
        .assuming(ASSUME_FEDERATED),
        Some(v) => EntryMatch::no(format!(
            "aws:FederatedProvider is {}, not {value}",
            v.values().join(", ")
        )),
        None if federating => EntryMatch::unknown(format!(
            "which identity provider authenticated this {} call is not in the request; give \
             aws:FederatedProvider to compare it with {value}",
            request.action
        )),
        None => EntryMatch::no(format!(
            "{value} is an identity provider; the caller did not come through it"
        )),
    }
}

/// Preference among several matching entries: the grant that overrides the most (§1.4, §8-Q5).
fn grant_rank(g: GrantKind) -> u8 {
    match g {
        GrantKind::Caller => 0,
        GrantKind::Wildcard => 1,
        GrantKind::ParentEntity => 2,
        GrantKind::Account => 3,
        GrantKind::Service => 4,
        GrantKind::Federated => 5,
        GrantKind::CanonicalUser => 6,
    }
}

fn matched_entry(i: usize, e: &PrincipalEntry) -> MatchedEntry {
    MatchedEntry {
        index: i,
        pattern: e.value.value.clone(),
        substituted: None,
        span: e.value.span,
    }
}

/// The members of the caller's identity chain that a `NotPrincipal` must list to exempt it
/// (§3.5, §8-Q22).
fn chain(caller: &Caller) -> &'static [GrantKind] {
    use GrantKind as G;
    match caller {
        Caller::IamUser { .. } => &[G::Caller, G::Account],
        Caller::RoleSession { .. } => &[G::Caller, G::ParentEntity, G::Account],
        Caller::FederatedUser { .. } => &[G::Caller, G::Account],
        Caller::Role { .. } => &[G::ParentEntity, G::Account],
        Caller::Root { .. } => &[G::Account],
        Caller::Service { .. } => &[G::Service],
        // Nothing but a wildcard names an anonymous caller.
        Caller::Anonymous => &[G::Wildcard],
    }
}

/// Evaluates a `Principal` or `NotPrincipal` element of a statement with the given `Effect`.
pub fn evaluate_principal(
    block: &PrincipalBlock,
    effect: Option<Effect>,
    request: &Request,
    assumptions: &mut Vec<String>,
) -> PrincipalTrace {
    let element = if block.negated {
        "NotPrincipal"
    } else {
        "Principal"
    };
    let caller = request.caller.arn();
    let results: Vec<EntryMatch> = block
        .entries
        .iter()
        .map(|e| match_principal_entry(e, request))
        .collect();
    let note_assumption = |assumptions: &mut Vec<String>, r: &EntryMatch| {
        if let Some(a) = r.assumption {
            if !assumptions.iter().any(|x| x == a) {
                assumptions.push(a.to_string());
            }
        }
    };
    let unknown_notes: Vec<String> = results
        .iter()
        .zip(&block.entries)
        .filter(|(r, _)| r.outcome == Applies::Unknown)
        .map(|(r, e)| format!("'{}': {}", e.value.value, r.note))
        .collect();

    if !block.negated {
        let best = results
            .iter()
            .enumerate()
            .filter(|(_, r)| r.outcome == Applies::Yes)
            .min_by_key(|(_, r)| r.grant.map(grant_rank).unwrap_or(u8::MAX));
        let (passes, matched, reason, grant) = if let Some((i, r)) = best {
            note_assumption(assumptions, r);
            let e = &block.entries[i];
            (
                Applies::Yes,
                Some(matched_entry(i, e)),
                format!("{caller} matches '{}': {}", e.value.value, r.note),
                r.grant,
            )
        } else if !unknown_notes.is_empty() {
            results.iter().for_each(|r| note_assumption(assumptions, r));
            (
                Applies::Unknown,
                None,
                format!(
                    "no entry names {caller} for certain; undecidable: {}",
                    unknown_notes.join("; ")
                ),
                None,
            )
        } else if block.entries.is_empty() {
            (
                Applies::No,
                None,
                "the Principal element is empty: it names no one".to_string(),
                None,
            )
        } else {
            results.iter().for_each(|r| note_assumption(assumptions, r));
            (
                Applies::No,
                None,
                format!("no entry of Principal names {caller}"),
                None,
            )
        };
        return PrincipalTrace {
            element: ElementTrace {
                element,
                passes,
                matched,
                reason: reason.into(),
                span: Some(block.span),
            },
            grant,
        };
    }

    if effect == Some(Effect::Allow) {
        return not_principal_allow(block, request, &results, &unknown_notes, assumptions);
    }

    // NotPrincipal: the statement applies unless the whole identity chain is listed.
    let (passes, matched, reason) =
        if request.caller_has_permissions_boundary && request.caller.is_iam_principal() {
            (
                Applies::Yes,
                None,
                format!(
                "{caller}'s user or role has a permissions boundary: NotPrincipal never exempts \
                 it, whatever the list contains (§1.4)"
            ),
            )
        } else {
            let wildcard = results
                .iter()
                .position(|r| r.grant == Some(GrantKind::Wildcard));
            let covered = |g: GrantKind| results.iter().any(|r| r.grant == Some(g));
            let needed = chain(&request.caller);
            if matches!(request.caller, Caller::FederatedUser { .. })
                && !assumptions.iter().any(|x| x == ASSUME_FEDERATED_PARENT)
            {
                assumptions.push(ASSUME_FEDERATED_PARENT.to_string());
            }
            if let Some(i) = wildcard {
                (
                    Applies::No,
                    Some(matched_entry(i, &block.entries[i])),
                    "NotPrincipal lists \"*\": every caller is exempt".to_string(),
                )
            } else if needed.iter().all(|g| covered(*g)) {
                let i = results
                    .iter()
                    .position(|r| r.outcome == Applies::Yes)
                    .unwrap_or(0);
                results.iter().for_each(|r| note_assumption(assumptions, r));
                (
                    Applies::No,
                    block.entries.get(i).map(|e| matched_entry(i, e)),
                    format!("NotPrincipal lists every member of {caller}'s identity chain: exempt"),
                )
            } else if !unknown_notes.is_empty() {
                results.iter().for_each(|r| note_assumption(assumptions, r));
                (
                    Applies::Unknown,
                    None,
                    format!(
                        "whether NotPrincipal exempts {caller} cannot be decided: {}",
                        unknown_notes.join("; ")
                    ),
                )
            } else {
                if needed.iter().any(|g| covered(*g))
                    && !assumptions
                        .iter()
                        .any(|x| x == ASSUME_NOTPRINCIPAL_DENY_CHAIN)
                {
                    assumptions.push(ASSUME_NOTPRINCIPAL_DENY_CHAIN.to_string());
                }
                let missing: Vec<&str> = needed
                    .iter()
                    .filter(|g| !covered(**g))
                    .map(|g| match g {
                        GrantKind::Caller => "the caller's own ARN",
                        GrantKind::ParentEntity => "its role",
                        GrantKind::Account => "its account",
                        GrantKind::Service => "the service principal",
                        _ => "\"*\"",
                    })
                    .collect();
                (
                    Applies::Yes,
                    None,
                    format!(
                        "NotPrincipal does not exempt {caller}: {} not listed (AWS may check the \
                     account, the role and the session in turn, §3.5)",
                        missing.join(" and ")
                    ),
                )
            }
        };
    PrincipalTrace {
        element: ElementTrace {
            element,
            passes,
            matched,
            reason: reason.into(),
            span: Some(block.span),
        },
        grant: (passes == Applies::Yes).then_some(GrantKind::Wildcard),
    }
}

/// `Allow` with `NotPrincipal`: the statement grants to everyone except the listed principals
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>).
/// Fail-safe: the caller is excluded as soon as any member of its identity chain is listed, and a
/// permissions boundary does not bring it back.
fn not_principal_allow(
    block: &PrincipalBlock,
    request: &Request,
    results: &[EntryMatch],
    unknown_notes: &[String],
    assumptions: &mut Vec<String>,
) -> PrincipalTrace {
    let caller = request.caller.arn();
    let listed = results
        .iter()
        .position(|r| r.outcome == Applies::Yes && r.grant.is_some());
    let (passes, matched, reason) = match listed {
        Some(i) if results[i].grant == Some(GrantKind::Wildcard) => (
            Applies::No,
            Some(matched_entry(i, &block.entries[i])),
            "NotPrincipal lists \"*\": the Allow grants to no one".to_string(),
        ),
        Some(i) => {
            if let Some(a) = results[i].assumption {
                push_once(assumptions, a);
            }
            push_once(assumptions, ASSUME_NOTPRINCIPAL_ALLOW_CHAIN);
            let e = &block.entries[i];
            (
                Applies::No,
                Some(matched_entry(i, e)),
                format!(
                    "NotPrincipal lists '{}' ({}), a member of {caller}'s identity chain: the \
                     Allow does not grant to it",
                    e.value.value, results[i].note
                ),
            )
        }
        None if !unknown_notes.is_empty() => (
            Applies::Unknown,
            None,
            format!(
                "whether NotPrincipal excludes {caller} from the Allow cannot be decided: {}",
                unknown_notes.join("; ")
            ),
        ),
        None => (
            Applies::Yes,
            None,
            format!(
                "NotPrincipal lists no member of {caller}'s identity chain: the Allow grants to \
                 it (AWS does not support NotPrincipal with Allow)"
            ),
        ),
    };
    PrincipalTrace {
        element: ElementTrace {
            element: "NotPrincipal",
            passes,
            matched,
            reason: reason.into(),
            span: Some(block.span),
        },
        grant: (passes == Applies::Yes).then_some(GrantKind::Wildcard),
    }
}

fn push_once(assumptions: &mut Vec<String>, a: &str) {
    if !assumptions.iter().any(|x| x == a) {
        assumptions.push(a.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Span, Spanned};
    use crate::request::{ContextMap, ContextValue};

    fn request(caller: Option<&str>) -> Request {
        Request {
            caller: Caller::parse(caller).unwrap(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            resource_account: Some("111122223333".into()),
            context: ContextMap::new(),
            caller_has_permissions_boundary: false,
        }
    }

    fn aws(v: &str) -> PrincipalEntry {
        entry(PrincipalKind::Aws, v)
    }

    fn entry(kind: PrincipalKind, v: &str) -> PrincipalEntry {
        PrincipalEntry {
            kind,
            value: Spanned::new(v.to_string(), Span::default()),
        }
    }

    fn grant(e: PrincipalEntry, r: &Request) -> Option<GrantKind> {
        let m = match_principal_entry(&e, r);
        if m.outcome == Applies::Yes {
            m.grant
        } else {
            None
        }
    }

    fn block(negated: bool, entries: Vec<PrincipalEntry>) -> PrincipalBlock {
        PrincipalBlock {
            negated,
            entries,
            span: Span::default(),
        }
    }

    const USER: &str = "arn:aws:iam::111122223333:user/ana";
    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Deployer/s1";

    #[test]
    fn user_forms() {
        let r = request(Some(USER));
        assert_eq!(grant(aws(USER), &r), Some(GrantKind::Caller));
        assert_eq!(grant(aws("111122223333"), &r), Some(GrantKind::Account));
        assert_eq!(
            grant(aws("arn:aws:iam::111122223333:root"), &r),
            Some(GrantKind::Account)
        );
        assert_eq!(grant(aws("*"), &r), Some(GrantKind::Wildcard));
        assert_eq!(
            grant(entry(PrincipalKind::Any, "*"), &r),
            Some(GrantKind::Wildcard)
        );
        assert_eq!(grant(aws("arn:aws:iam::111122223333:user/Ana"), &r), None);
        assert_eq!(grant(aws("444455556666"), &r), None);
        assert_eq!(grant(aws("arn:aws-cn:iam::111122223333:root"), &r), None);
    }

    #[test]
    fn role_sessions_match_their_role_even_with_a_path() {
        let r = request(Some(SESSION));
        assert_eq!(grant(aws(SESSION), &r), Some(GrantKind::Caller));
        assert_eq!(
            grant(aws("arn:aws:iam::111122223333:role/Deployer"), &r),
            Some(GrantKind::ParentEntity)
        );
        let m = match_principal_entry(&aws("arn:aws:iam::111122223333:role/team/app/Deployer"), &r);
        assert_eq!(m.grant, Some(GrantKind::ParentEntity));
        assert!(m.note.contains("§5.3"));
        assert_eq!(
            grant(aws("arn:aws:iam::444455556666:role/Deployer"), &r),
            None
        );
        assert_eq!(
            grant(
                aws("arn:aws:sts::111122223333:assumed-role/Deployer/other"),
                &r
            ),
            None
        );
    }

    #[test]
    fn federated_users_and_root() {
        let r = request(Some("arn:aws:sts::111122223333:federated-user/bob"));
        assert_eq!(
            grant(aws("arn:aws:sts::111122223333:federated-user/bob"), &r),
            Some(GrantKind::Caller)
        );
        assert_eq!(
            match_principal_entry(&aws(USER), &r).outcome,
            Applies::Unknown,
            "the federating user is not in the request"
        );
        let root = request(Some("arn:aws:iam::111122223333:root"));
        assert_eq!(
            grant(aws("arn:aws:iam::111122223333:root"), &root),
            Some(GrantKind::Account)
        );
        assert_eq!(grant(aws(USER), &root), None);
    }

    #[test]
    fn anonymous_matches_only_wildcards() {
        let r = request(None);
        assert_eq!(grant(aws("*"), &r), Some(GrantKind::Wildcard));
        assert_eq!(
            grant(entry(PrincipalKind::Any, "*"), &r),
            Some(GrantKind::Wildcard)
        );
        assert_eq!(grant(aws("111122223333"), &r), None);
        assert_eq!(
            grant(entry(PrincipalKind::Service, "s3.amazonaws.com"), &r),
            None
        );
        assert_eq!(
            match_principal_entry(&entry(PrincipalKind::CanonicalUser, "ab12"), &r).outcome,
            Applies::No
        );
    }

    #[test]
    fn services_unique_ids_federated_and_canonical() {
        let svc = request(Some("sns.amazonaws.com"));
        assert_eq!(
            grant(entry(PrincipalKind::Service, "sns.amazonaws.com"), &svc),
            Some(GrantKind::Service)
        );
        assert_eq!(
            grant(entry(PrincipalKind::Service, "sqs.amazonaws.com"), &svc),
            None
        );
        assert_eq!(grant(aws("111122223333"), &svc), None);

        let mut r = request(Some(SESSION));
        let id = "AROA1234567890EXAMPLE";
        assert_eq!(grant(aws(id), &r), None, "no aws:userid given");
        r.context
            .insert_given("aws:userid", ContextValue::Single(format!("{id}:s1")));
        assert_eq!(grant(aws(id), &r), Some(GrantKind::ParentEntity));
        assert_eq!(
            match_principal_entry(&aws(id), &r).assumption,
            Some(ASSUME_UNIQUE_ID)
        );

        let mut w = request(None);
        w.action = "sts:AssumeRoleWithWebIdentity".into();
        let google = entry(PrincipalKind::Federated, "accounts.google.com");
        assert_eq!(match_principal_entry(&google, &w).outcome, Applies::Unknown);
        w.context.insert_given(
            "aws:FederatedProvider",
            ContextValue::Single("accounts.google.com".into()),
        );
        assert_eq!(grant(google.clone(), &w), Some(GrantKind::Federated));
        assert_eq!(grant(google, &request(Some(USER))), None);

        assert_eq!(
            match_principal_entry(
                &entry(PrincipalKind::CanonicalUser, "ab12"),
                &request(Some(USER))
            )
            .outcome,
            Applies::Unknown
        );
    }

    #[test]
    fn invalid_principals_are_unknown() {
        let r = request(Some(USER));
        for bad in [
            "arn:aws:iam::111122223333:user/*",
            "arn:aws:iam::111122223333:group/g",
            "bob",
        ] {
            assert_eq!(
                match_principal_entry(&aws(bad), &r).outcome,
                Applies::Unknown,
                "{bad}"
            );
        }
    }

    #[test]
    fn principal_block_prefers_the_strongest_grant() {
        let r = request(Some(SESSION));
        let b = block(
            false,
            vec![
                aws("111122223333"),
                aws("arn:aws:iam::111122223333:role/Deployer"),
                aws(SESSION),
            ],
        );
        let t = evaluate_principal(&b, Some(Effect::Deny), &r, &mut vec![]);
        assert_eq!(t.element.passes, Applies::Yes);
        assert_eq!(t.grant, Some(GrantKind::Caller));
        assert_eq!(t.element.matched.unwrap().index, 2);
    }

    #[test]
    fn not_principal_needs_the_whole_chain() {
        let r = request(Some(SESSION));
        let only_session = block(true, vec![aws(SESSION)]);
        assert_eq!(
            evaluate_principal(&only_session, Some(Effect::Deny), &r, &mut vec![])
                .element
                .passes,
            Applies::Yes,
            "listing only the session does not exempt it"
        );
        let whole = block(
            true,
            vec![
                aws(SESSION),
                aws("arn:aws:iam::111122223333:role/Deployer"),
                aws("arn:aws:iam::111122223333:root"),
            ],
        );
        assert_eq!(
            evaluate_principal(&whole, Some(Effect::Deny), &r, &mut vec![])
                .element
                .passes,
            Applies::No
        );

        let mut bounded = r.clone();
        bounded.caller_has_permissions_boundary = true;
        assert_eq!(
            evaluate_principal(&whole, Some(Effect::Deny), &bounded, &mut vec![])
                .element
                .passes,
            Applies::Yes,
            "a caller with a permissions boundary is never exempt"
        );

        let user = request(Some(USER));
        let user_chain = block(true, vec![aws(USER), aws("111122223333")]);
        assert_eq!(
            evaluate_principal(&user_chain, Some(Effect::Deny), &user, &mut vec![])
                .element
                .passes,
            Applies::No
        );
        let anon = request(None);
        assert_eq!(
            evaluate_principal(&user_chain, Some(Effect::Deny), &anon, &mut vec![])
                .element
                .passes,
            Applies::Yes
        );
    }

    #[test]
    fn allow_not_principal_excludes_any_listed_chain_member() {
        let r = request(Some(SESSION));
        let role = block(true, vec![aws("arn:aws:iam::111122223333:role/Deployer")]);
        let mut notes = vec![];
        let t = evaluate_principal(&role, Some(Effect::Allow), &r, &mut notes);
        assert_eq!(t.element.passes, Applies::No);
        assert!(notes.iter().any(|n| n == ASSUME_NOTPRINCIPAL_ALLOW_CHAIN));
        let other = block(true, vec![aws(USER)]);
        let t = evaluate_principal(&other, Some(Effect::Allow), &r, &mut vec![]);
        assert_eq!(t.element.passes, Applies::Yes);
        assert_eq!(t.grant, Some(GrantKind::Wildcard));
    }
}
