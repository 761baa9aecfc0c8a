//! What AWS's catalog says about a statement that failed on its `Action` or `Resource`: a typed
//! finding (decided in `lint::diagnose`) and the sentence the trace shows.

use serde::{Deserialize, Serialize};

/// A catalog explanation of why a statement does not cover the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    #[serde(flatten)]
    pub kind: DiagnosisKind,
    /// The sentence for the user.
    pub message: String,
}

/// The kinds of diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DiagnosisKind {
    /// The request's resource is of one resource type; the statement's entries name others
    /// (`s3:ListBucket` on the bucket, the statement lists objects `…/*`; a KMS alias for a key).
    WrongResourceType {
        action: String,
        resource: String,
        /// The resource type of the request's resource (`bucket`).
        request_type: String,
        /// Each `Resource` entry with the resource type it names (`object`).
        listed: Vec<(String, String)>,
    },
    /// The request's resource fits none of the action's resource types: the request itself is
    /// odd (or the ARN is mistyped).
    RequestFitsNoType {
        action: String,
        resource: String,
        /// The action's resource types with their ARN formats.
        types: Vec<(String, String)>,
    },
}

impl Diagnosis {
    pub fn new(kind: DiagnosisKind) -> Diagnosis {
        Diagnosis {
            message: sentence(&kind),
            kind,
        }
    }
}

fn plural(name: &str) -> String {
    if name.ends_with(['s', 'x']) {
        format!("{name}es")
    } else {
        format!("{name}s")
    }
}

fn sentence(kind: &DiagnosisKind) -> String {
    match kind {
        DiagnosisKind::WrongResourceType {
            action,
            resource,
            request_type,
            listed,
        } => {
            let mut types: Vec<&str> = listed.iter().map(|(_, t)| t.as_str()).collect();
            types.dedup();
            let entries: Vec<String> = listed.iter().map(|(p, _)| format!("`{p}`")).collect();
            let mut s = format!(
                "`{action}` is authorized on the {request_type} `{resource}`; this statement lists \
                 only {} {}",
                types.iter().map(|t| plural(t)).collect::<Vec<_>>().join(" and "),
                entries.join(", ")
            );
            if request_type == "key" && types.contains(&"alias") {
                s.push_str(
                    ". KMS authorizes key operations on the key, never on its alias: name the key \
                     ARN, or match the alias with the kms:RequestAlias or kms:ResourceAliases \
                     condition key (https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html)",
                );
            } else {
                s.push_str(&format!(
                    "; add the {request_type} ARN to Resource \
                     (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)"
                ));
            }
            s
        }
        DiagnosisKind::RequestFitsNoType {
            action,
            resource,
            types,
        } => {
            let shown: Vec<String> = types.iter().map(|(n, f)| format!("{n} `{f}`")).collect();
            format!(
                "the request's resource `{resource}` is none of the resource types `{action}` is \
                 authorized on ({}): check the resource ARN of the request \
                 (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)",
                shown.join(", ")
            )
        }
    }
}
