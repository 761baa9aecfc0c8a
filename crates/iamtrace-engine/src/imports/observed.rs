//! What AWS itself claimed about a request (the decision, the layer it named, the policy ARN, the
//! statements it matched), stored in `Scenario.observed` and compared after evaluation.

use super::ArtefactKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// AWS's claim about one request, as read from an artefact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Observed {
    /// The artefact the claim comes from.
    pub source: Option<ArtefactKind>,
    /// `allowed`, `explicit_deny`, `implicit_deny`, or `denied` when AWS did not say which.
    pub decision: String,
    /// Whether AWS said the deny was explicit; `None` when the artefact does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicit: Option<bool>,
    /// The layer AWS named, in the conformance names: `identity`, `resource`,
    /// `permissions_boundary`, `scp`, `rcp`, `session`, `vpc_endpoint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// The ARN of the denying policy, when AWS printed it (§6.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_arn: Option<String>,
    /// The name printed after the ARN, `(Name)`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    /// AWS's message text, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The error code (`AccessDenied`, `UnauthorizedOperation`…), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The Access Troubleshooter authorization id in the message, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_id: Option<String>,
    /// The statements AWS said matched (decoded message, Access Troubleshooter).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matched_statements: Vec<ObservedStatement>,
    /// The policies AWS said it evaluated (Access Troubleshooter).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evaluated_policies: Vec<ObservedPolicy>,
    /// The context keys AWS reported in the request context (decoded message, troubleshooter).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context_keys: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

/// A statement AWS reported as matched.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedStatement {
    /// The `Sid` as AWS printed it (empty when the statement has none).
    pub sid: String,
    /// `Allow` or `Deny`.
    pub effect: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    /// The policy it belongs to (Access Troubleshooter URI: an ARN, or an opaque id for inline
    /// policies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_uri: Option<String>,
}

/// A policy AWS reported as evaluated (Access Troubleshooter `policies[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedPolicy {
    /// AWS's type name (`SERVICE_CONTROL_POLICY`…).
    pub policy_type: String,
    /// The conformance layer of that type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// The policy ARN for managed policies, an opaque id for inline ones.
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inline: Option<bool>,
    /// ARNs of the entities the policy is attached to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attached_to: Vec<String>,
}

impl Observed {
    /// Reads the claim stored in a scenario's `observed` field.
    pub fn from_json(v: &Value) -> Result<Observed, String> {
        serde_json::from_value(v.clone()).map_err(|e| format!("'observed' is malformed: {e}"))
    }

    /// The claim as JSON, for `Scenario.observed`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The decision for an explicit flag: `explicit_deny`, `implicit_deny` or `denied`.
    pub(crate) fn denied(explicit: Option<bool>) -> String {
        match explicit {
            Some(true) => "explicit_deny",
            Some(false) => "implicit_deny",
            None => "denied",
        }
        .to_string()
    }
}

/// The conformance layer for the policy type named in an AccessDenied reason (§6.2). Accepts
/// AWS's spellings, including the `sessions policy` misprint and older capitalisations.
pub(crate) fn layer_from_phrase(phrase: &str) -> Option<&'static str> {
    let p = phrase.trim().to_ascii_lowercase();
    let p = p.trim_end_matches('.');
    let table: [(&str, &str); 11] = [
        ("identity-based policy", "identity"),
        ("identity based policy", "identity"),
        ("resource-based policy", "resource"),
        ("resource based policy", "resource"),
        ("role trust policy", "resource"),
        ("permissions boundary", "permissions_boundary"),
        ("session policy", "session"),
        ("sessions policy", "session"),
        ("service control policy", "scp"),
        ("resource control policy", "rcp"),
        ("vpc endpoint policy", "vpc_endpoint"),
    ];
    table.iter().find(|(k, _)| p == *k).map(|(_, v)| *v)
}

/// The conformance layer for an Access Troubleshooter policy type.
pub(crate) fn layer_from_type_name(t: &str) -> Option<&'static str> {
    match t.to_ascii_uppercase().as_str() {
        "IDENTITY_BASED_POLICY" => Some("identity"),
        "RESOURCE_BASED_POLICY" => Some("resource"),
        "PERMISSIONS_BOUNDARY" => Some("permissions_boundary"),
        "SESSION_POLICY" => Some("session"),
        "SERVICE_CONTROL_POLICY" => Some("scp"),
        "RESOURCE_CONTROL_POLICY" => Some("rcp"),
        "VPC_ENDPOINT_POLICY" => Some("vpc_endpoint"),
        _ => None,
    }
}

/// How a layer is called in AWS's documentation, for sentences.
pub(crate) fn layer_title(layer: &str) -> &str {
    match layer {
        "identity" => "an identity-based policy",
        "resource" => "a resource-based policy",
        "permissions_boundary" => "a permissions boundary",
        "session" => "a session policy",
        "scp" => "a service control policy",
        "rcp" => "a resource control policy",
        "vpc_endpoint" => "a VPC endpoint policy",
        other => other,
    }
}
