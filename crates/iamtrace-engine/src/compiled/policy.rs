//! One policy read once for many requests: each statement's `Action` patterns lower-cased and
//! indexed by service prefix, its `Resource` patterns split into their six ARN fields, its
//! conditions compiled (IAM-SEMANTICS §1.2, §3.6, §3.7). Deciding a statement gives `Yes`, `No`
//! or `Unknown` exactly as `matching::evaluate_statement` does, without building a trace; the
//! parts that need a per-request computation with text (the `Principal` element, policy
//! variables in `Resource`) are handed to the explaining path's functions.

use super::condition::Condition;
use crate::conditions::variables::has_variables;
use crate::explain::{Applies, GrantKind};
use crate::matching::arn::short_pattern_matches;
use crate::matching::wildcard::{glob_match, has_wildcard, Case};
use crate::matching::{evaluate_principal, resource_entry, split_arn};
use crate::policy::{Effect, Policy, PolicyType, PrincipalKind, Statement};
use crate::request::Request;
use std::collections::HashMap;

/// The request as the statements read it, computed once per decision.
pub(super) struct RequestView<'r> {
    pub(super) request: &'r Request,
    /// The action, ASCII-lower-cased.
    pub(super) action: &'r str,
    /// The service prefix of the lower-cased action.
    pub(super) service: &'r str,
    pub(super) resource_fields: Option<[&'r str; 6]>,
}

/// What the gates need from one statement: whether it applies and, for an `Allow` in a
/// resource-based policy, how its `Principal` named the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StatementOutcome {
    pub(super) applies: Applies,
    pub(super) grant: Option<GrantKind>,
}

const NO: StatementOutcome = StatementOutcome {
    applies: Applies::No,
    grant: None,
};

/// A policy document compiled for one policy type.
#[derive(Debug, Clone)]
pub(super) struct CompiledPolicy {
    policy: Policy,
    variables: bool,
    statements: Vec<CompiledStatement>,
    /// Positions in `statements` whose `Action` names this (lower-case) service prefix.
    by_service: HashMap<Box<str>, Vec<usize>>,
    /// Statements that may cover any service: `NotAction`, wildcards in the service prefix, a
    /// missing or unreadable `Action`.
    any_service: Vec<usize>,
}

#[derive(Debug, Clone)]
struct CompiledStatement {
    /// Position in the policy's statements.
    index: usize,
    effect: Effect,
    action: ActionTest,
    resource: ResourceTest,
    /// The statement's principal test is needed (the policy type carries `Principal`).
    principal: PrincipalTest,
    conditions: Vec<Condition>,
    /// Part of the `Condition` element could not be read: a false condition does not rule the
    /// statement out, and the statement is at best unknown.
    unreadable_condition: bool,
}

#[derive(Debug, Clone)]
enum ActionTest {
    Unknown,
    Patterns {
        negated: bool,
        /// Lower-cased; matched case-sensitively against the lower-cased action (§3.6).
        patterns: Vec<Box<str>>,
    },
}

#[derive(Debug, Clone)]
enum ResourceTest {
    Yes,
    Unknown,
    Patterns {
        negated: bool,
        entries: Vec<ResourceEntry>,
    },
}

#[derive(Debug, Clone)]
enum ResourceEntry {
    /// `*`: every resource, `*` included.
    Any,
    /// A six-field pattern (byte ranges of the fields in `text`).
    Fields { text: Box<str>, fields: [Range; 6] },
    /// Fewer than six fields (`arn:aws:sqs:*`).
    Short(Box<str>),
    /// Holds policy variables: substituted per request by the explaining path's code, after the
    /// same cheap test it starts with (the five fields before the resource part, which take no
    /// variables, and the literal text before the first variable).
    Variables {
        text: Box<str>,
        /// Byte ranges of the first five fields and of the literal head of the resource part;
        /// `None` when the pattern has fewer than six fields (it then matches nothing).
        prefix: Option<([Range; 5], Range)>,
    },
}

#[derive(Debug, Clone, Copy)]
enum PrincipalTest {
    /// The policy type has no `Principal` and the statement none.
    Absent,
    /// Missing where required, or present where forbidden: AWS rejects the statement.
    Unknown,
    /// `Principal` lists `"*"` (or `{"AWS": "*"}`): it names every caller, a direct grant
    /// whatever else it lists (an entry naming the caller itself is as strong, §1.4).
    Everyone { unreadable: bool },
    /// Evaluated per request (statement `index`), unknown if part of it could not be read.
    Evaluate { unreadable: bool },
}

impl CompiledPolicy {
    pub(super) fn compile(policy: Policy, policy_type: PolicyType) -> CompiledPolicy {
        let variables = policy.variables_enabled();
        let mut statements = Vec::with_capacity(policy.statements.len());
        let mut by_service: HashMap<Box<str>, Vec<usize>> = HashMap::new();
        let mut any_service = Vec::new();
        for s in &policy.statements {
            // A statement without a readable Effect never counts as an Allow or a Deny.
            let Some(effect) = s.effect.as_ref().map(|e| e.value) else {
                continue;
            };
            let at = statements.len();
            let action = compile_action(s);
            match service_keys(&action) {
                Some(keys) => {
                    for k in keys {
                        let list = by_service.entry(k).or_default();
                        if list.last() != Some(&at) {
                            list.push(at);
                        }
                    }
                }
                None => any_service.push(at),
            }
            statements.push(CompiledStatement {
                index: s.index,
                effect,
                action,
                resource: compile_resource(s, policy_type, variables),
                principal: match (&s.principal, policy_type.has_principal()) {
                    (Some(block), true) => {
                        let unreadable = s.unreadable("Principal").is_some();
                        let everyone = !block.negated
                            && block.entries.iter().any(|e| {
                                matches!(e.kind, PrincipalKind::Any | PrincipalKind::Aws)
                                    && e.value.value == "*"
                            });
                        if everyone {
                            PrincipalTest::Everyone { unreadable }
                        } else {
                            PrincipalTest::Evaluate { unreadable }
                        }
                    }
                    (None, false) => PrincipalTest::Absent,
                    _ => PrincipalTest::Unknown,
                },
                conditions: s
                    .conditions
                    .iter()
                    .map(|c| Condition::compile(c, variables))
                    .collect(),
                unreadable_condition: s.unreadable("Condition").is_some(),
            });
        }
        CompiledPolicy {
            policy,
            variables,
            statements,
            by_service,
            any_service,
        }
    }

    /// Calls `each(effect, outcome)` for every statement whose `Action` may cover the request;
    /// the others do not apply. Stops when `each` returns `false`.
    pub(super) fn for_each_candidate(
        &self,
        view: &RequestView<'_>,
        mut each: impl FnMut(Effect, &dyn Fn() -> StatementOutcome) -> bool,
    ) {
        let listed = self.by_service.get(view.service).map(Vec::as_slice);
        for &i in listed.unwrap_or(&[]).iter().chain(&self.any_service) {
            let st = &self.statements[i];
            if !each(st.effect, &|| self.decide(st, view)) {
                return;
            }
        }
    }

    fn decide(&self, st: &CompiledStatement, view: &RequestView<'_>) -> StatementOutcome {
        let statement = &self.policy.statements[st.index];
        let mut applies = Applies::Yes;
        // Combines one test: `No` decides, `Unknown` sticks.
        macro_rules! test {
            ($t:expr) => {
                match $t {
                    Applies::No => return NO,
                    Applies::Unknown => applies = Applies::Unknown,
                    Applies::Yes => {}
                }
            };
        }
        test!(st.action.test(view.action));
        test!(st.resource.test(view, self.variables));
        for (c, entry) in st.conditions.iter().zip(&statement.conditions) {
            match c.outcome(entry, self.variables, &view.request.context) {
                // The part that could not be read may be what decides (as the explaining path).
                Applies::No if st.unreadable_condition => applies = Applies::Unknown,
                other => test!(other),
            }
        }
        if st.unreadable_condition {
            applies = Applies::Unknown;
        }
        let mut grant = None;
        match st.principal {
            PrincipalTest::Absent => {}
            PrincipalTest::Unknown => applies = Applies::Unknown,
            PrincipalTest::Everyone { unreadable } => {
                grant = Some(GrantKind::Wildcard);
                if unreadable {
                    applies = Applies::Unknown;
                }
            }
            PrincipalTest::Evaluate { unreadable } => {
                if let Some(block) = &statement.principal {
                    let mut assumptions = Vec::new();
                    let trace =
                        evaluate_principal(block, Some(st.effect), view.request, &mut assumptions);
                    grant = trace.grant;
                    test!(if unreadable {
                        Applies::Unknown
                    } else {
                        trace.element.passes
                    });
                }
            }
        }
        StatementOutcome { applies, grant }
    }
}

fn compile_action(s: &Statement) -> ActionTest {
    match &s.action {
        Some(block) if s.unreadable("Action").is_none() => ActionTest::Patterns {
            negated: block.negated,
            patterns: block
                .patterns
                .iter()
                .map(|p| p.value.to_ascii_lowercase().into())
                .collect(),
        },
        _ => ActionTest::Unknown,
    }
}

/// The service prefixes an `Action` can cover, or `None` when it may cover any service.
fn service_keys(action: &ActionTest) -> Option<Vec<Box<str>>> {
    let ActionTest::Patterns {
        negated: false,
        patterns,
    } = action
    else {
        return None;
    };
    let mut keys = Vec::with_capacity(patterns.len());
    for p in patterns {
        // A literal prefix before the first colon is the only service the entry can match.
        let (service, _) = p.split_once(':')?;
        if service.contains(['*', '?']) {
            return None;
        }
        keys.push(service.into());
    }
    Some(keys)
}

impl ActionTest {
    fn test(&self, action: &str) -> Applies {
        let ActionTest::Patterns { negated, patterns } = self else {
            return Applies::Unknown;
        };
        let hit = patterns
            .iter()
            .any(|p| &**p == "*" || glob_match(p, action, Case::Sensitive));
        match (negated, hit) {
            (false, hit) => yes_no(hit),
            (true, true) => Applies::No,
            // An empty NotAction: AWS does not document what it covers.
            (true, false) if patterns.is_empty() => Applies::Unknown,
            (true, false) => Applies::Yes,
        }
    }
}

fn compile_resource(s: &Statement, policy_type: PolicyType, variables: bool) -> ResourceTest {
    if s.unreadable("Resource").is_some() {
        return ResourceTest::Unknown;
    }
    let Some(block) = &s.resource else {
        // Without Resource a resource-based policy covers the resource it is attached to.
        return match policy_type {
            PolicyType::Resource | PolicyType::TrustPolicy | PolicyType::VpcEndpoint => {
                ResourceTest::Yes
            }
            _ => ResourceTest::Unknown,
        };
    };
    let entries = block
        .patterns
        .iter()
        .map(|p| {
            let text = p.value.as_str();
            if text == "*" {
                ResourceEntry::Any
            } else if variables && has_variables(text) {
                ResourceEntry::Variables {
                    text: text.into(),
                    prefix: split_arn(text).map(|f| {
                        let head = &f[5][..f[5].find("${").unwrap_or(0)];
                        (
                            [f[0], f[1], f[2], f[3], f[4]].map(|x| range(text, x)),
                            range(text, head),
                        )
                    }),
                }
            } else if let Some(f) = split_arn(text) {
                let range = |field: &str| range(text, field);
                ResourceEntry::Fields {
                    text: text.into(),
                    fields: f.map(range),
                }
            } else {
                ResourceEntry::Short(text.into())
            }
        })
        .collect();
    ResourceTest::Patterns {
        negated: block.negated,
        entries,
    }
}

/// A byte range of a pattern's text.
type Range = (u32, u32);

/// The byte range of `part`, a slice of `text`, within it.
fn range(text: &str, part: &str) -> Range {
    let start = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    (start as u32, (start + part.len()) as u32)
}

impl ResourceEntry {
    fn test(&self, view: &RequestView<'_>, negated: bool, variables: bool) -> Applies {
        let resource = view.request.resource.as_str();
        match self {
            ResourceEntry::Any => Applies::Yes,
            // Any other pattern never matches a "*" request (§8-Q24).
            _ if resource == "*" && !matches!(self, ResourceEntry::Variables { .. }) => Applies::No,
            ResourceEntry::Fields { text, fields } => {
                let Some(target) = &view.resource_fields else {
                    return Applies::No;
                };
                let all = fields.iter().zip(target).all(|(&(s, e), t)| {
                    glob_match(
                        text.get(s as usize..e as usize).unwrap_or(""),
                        t,
                        Case::Sensitive,
                    )
                });
                yes_no(all)
            }
            ResourceEntry::Short(text) => {
                yes_no(view.resource_fields.is_some() && short_pattern_matches(text, resource))
            }
            ResourceEntry::Variables { text, prefix } => {
                let (Some((fields, head)), Some(target)) = (prefix, &view.resource_fields) else {
                    return Applies::No;
                };
                let part = |(s, e): Range| text.get(s as usize..e as usize).unwrap_or("");
                let fields_match = fields
                    .iter()
                    .zip(target)
                    .all(|(&f, t)| glob_match(part(f), t, Case::Sensitive));
                let head = part(*head);
                if !fields_match || (!has_wildcard(head) && !target[5].starts_with(head)) {
                    return Applies::No;
                }
                let mut assumptions = Vec::new();
                resource_entry(
                    text,
                    negated,
                    view.request,
                    view.resource_fields.as_ref(),
                    variables,
                    &mut assumptions,
                )
                .0
            }
        }
    }
}

impl ResourceTest {
    fn test(&self, view: &RequestView<'_>, variables: bool) -> Applies {
        let (negated, entries) = match self {
            ResourceTest::Yes => return Applies::Yes,
            ResourceTest::Unknown => return Applies::Unknown,
            ResourceTest::Patterns { negated, entries } => (*negated, entries),
        };
        let mut unknown = false;
        let mut hit = false;
        for e in entries {
            match e.test(view, negated, variables) {
                Applies::Yes => {
                    hit = true;
                    break;
                }
                Applies::Unknown => unknown = true,
                Applies::No => {}
            }
        }
        match (negated, hit) {
            (false, true) => Applies::Yes,
            (true, true) => Applies::No,
            _ if unknown => Applies::Unknown,
            (false, false) => Applies::No,
            // An empty NotResource: AWS does not document what it covers.
            (true, false) if entries.is_empty() => Applies::Unknown,
            (true, false) => Applies::Yes,
        }
    }
}

fn yes_no(b: bool) -> Applies {
    if b {
        Applies::Yes
    } else {
        Applies::No
    }
}
