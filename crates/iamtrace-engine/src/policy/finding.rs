//! Validation findings, graded as IAM Access Analyzer grades them (§3.15).

use super::span::Span;
use serde::{Deserialize, Serialize};

/// How serious a finding is (Access Analyzer's four grades).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// AWS would reject the policy (or an element of it) when saving.
    Error,
    /// The policy grants more than it seems to.
    SecurityWarning,
    /// Legal but probably not what was meant.
    Warning,
    /// A simplification or clean-up.
    Suggestion,
}

/// Declares [`FindingCode`]: each variant with the stable code string it is written as.
macro_rules! finding_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)*) => {
        /// What a validation finding is about: one variant per check, written as a stable
        /// kebab-case code (`missing-effect`) in JSON output and messages. Codes are never renamed
        /// once released. The severity in each description is the usual one; the check decides
        /// (`duplicate-sid` is an error in IAM policies and a warning in resource policies).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum FindingCode {
            $($(#[$doc])* $variant,)*
        }

        impl FindingCode {
            /// Every code, in the order of the table in `docs/engine.md`.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant,)*];

            /// The code as written in output, e.g. `"missing-effect"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(FindingCode::$variant => $code,)*
                }
            }
        }
    };
}

finding_codes! {
    /// Error: the document is not a JSON object.
    PolicyNotObject = "policy-not-object",
    /// Error: element name not in the grammar (names are case-sensitive, §8-Q20).
    UnknownElement = "unknown-element",
    /// Error: a member repeated in one object (§3.1, §8-Q23).
    DuplicateElement = "duplicate-element",
    /// Error: an element has the wrong JSON kind (e.g. `Action: {}`).
    InvalidType = "invalid-type",
    /// Error: no `Statement`.
    MissingStatement = "missing-statement",
    /// Error: no `Effect`.
    MissingEffect = "missing-effect",
    /// Error: `Effect` not exactly `Allow` or `Deny`.
    InvalidEffect = "invalid-effect",
    /// Error: neither `Action` nor `NotAction`.
    MissingAction = "missing-action",
    /// Error: both forms in one statement.
    ActionAndNotAction = "action-and-notaction",
    /// Error: both forms in one statement.
    ResourceAndNotResource = "resource-and-notresource",
    /// Error: both forms in one statement.
    PrincipalAndNotPrincipal = "principal-and-notprincipal",
    /// Error: `Version` other than 2012-10-17 / 2008-10-17.
    InvalidVersion = "invalid-version",
    /// Warning: no `Version`: 2008-10-17 rules, variables are literal.
    MissingVersion = "missing-version",
    /// Error: SCP/RCP without `"Version": "2012-10-17"`.
    VersionRequired = "version-required",
    /// Suggestion: `Version` written after `Statement` (§8-Q11).
    VersionAfterStatement = "version-after-statement",
    /// Error: `Id` in an identity policy, boundary or session policy.
    IdNotAllowed = "id-not-allowed",
    /// Error: Sid with characters other than A–Z, a–z, 0–9 (IAM policy types).
    InvalidSid = "invalid-sid",
    /// Error (IAM, Organizations) / warning (resource, VPC endpoint): Sid used twice.
    DuplicateSid = "duplicate-sid",
    /// Error: `Principal`/`NotPrincipal` in identity, boundary, session, SCP.
    PrincipalNotAllowed = "principal-not-allowed",
    /// Error: no `Principal` in resource, trust, RCP, VPC endpoint policy.
    MissingPrincipal = "missing-principal",
    /// Error: `NotPrincipal` in a trust policy or RCP.
    NotPrincipalNotAllowed = "notprincipal-not-allowed",
    /// Security warning: `Allow` + `NotPrincipal`.
    AllowWithNotPrincipal = "allow-with-notprincipal",
    /// Error: bare string other than `"*"`, empty object, malformed account/ARN/ID.
    InvalidPrincipal = "invalid-principal",
    /// Error: principal type other than AWS, Service, Federated, CanonicalUser.
    InvalidPrincipalKey = "invalid-principal-key",
    /// Error: `*`/`?` inside a principal value.
    PrincipalPartialWildcard = "principal-partial-wildcard",
    /// Error: trust policy: SAML provider without `sts:AssumeRoleWithSAML`, OIDC provider without `…WithWebIdentity`, or those actions without such a provider.
    FederatedPrincipalActionMismatch = "federated-principal-action-mismatch",
    /// Error: bare `"Principal": "*"` in a role trust policy.
    TrustWildcardPrincipal = "trust-wildcard-principal",
    /// Error: RCP principal other than `"*"`.
    RcpPrincipalNotStar = "rcp-principal-not-star",
    /// Error: `Allow` in an RCP other than RCPFullAWSAccess.
    RcpAllow = "rcp-allow",
    /// Error: `NotAction` in an RCP.
    RcpNotAction = "rcp-notaction",
    /// Error: bare `"*"` action in a customer RCP.
    RcpActionWildcard = "rcp-action-wildcard",
    /// Error: no `Resource`/`NotResource` in identity, boundary, session, RCP.
    MissingResource = "missing-resource",
    /// Error: `Resource`/`NotResource` in a role trust policy.
    ResourceNotAllowed = "resource-not-allowed",
    /// Security warning: broad `Allow` (not in SCPs).
    AllowWithNotAction = "allow-with-notaction",
    /// Security warning: broad `Allow` (not in SCPs).
    AllowWithNotResource = "allow-with-notresource",
    /// Warning: an empty list: the statement (or condition) can never match.
    EmptyArray = "empty-array",
    /// Error: action not `"*"` nor `service:action`.
    InvalidAction = "invalid-action",
    /// Suggestion: wildcard in an action's or ARN's service part.
    WildcardInServiceName = "wildcard-in-service-name",
    /// Error: malformed resource ARN.
    InvalidArnPrefix = "invalid-arn-prefix",
    /// Error: malformed resource ARN.
    ArnTooShort = "arn-too-short",
    /// Error: malformed resource ARN.
    InvalidArnPartition = "invalid-arn-partition",
    /// Error: malformed resource ARN.
    InvalidArnService = "invalid-arn-service",
    /// Error: malformed resource ARN.
    InvalidArnRegion = "invalid-arn-region",
    /// Error: malformed resource ARN.
    InvalidArnAccount = "invalid-arn-account",
    /// Error: malformed resource ARN.
    InvalidArnResource = "invalid-arn-resource",
    /// Error: wildcard in the IAM resource-type token (`…:u*`).
    IamResourceTypeWildcard = "iam-resource-type-wildcard",
    /// Error: an empty `Condition` or operator block `{}` (§8-Q14).
    EmptyCondition = "empty-condition",
    /// Error: `null`, nested array or object as a condition value.
    InvalidConditionValue = "invalid-condition-value",
    /// Error: empty condition key.
    InvalidConditionKey = "invalid-condition-key",
    /// Error: operator AWS does not know (with a suggestion).
    UnknownConditionOperator = "unknown-condition-operator",
    /// Error: `NullIfExists`.
    NullIfExists = "null-if-exists",
    /// Error: keys in one block differing only in case.
    DuplicateConditionKey = "duplicate-condition-key",
    /// Security warning: `ForAllValues` on a single-valued global key.
    ForAllValuesSingleValuedKey = "forallvalues-single-valued-key",
    /// Warning: multivalued global key without a set qualifier (§8-Q18).
    MultivaluedKeyWithoutQualifier = "multivalued-key-without-qualifier",
    /// Warning: `ForAllValues:Null` / `ForAnyValue:Null`.
    NullWithSetQualifier = "null-with-set-qualifier",
    /// Error: several values for `Bool`.
    BoolMultipleValues = "bool-multiple-values",
    /// Warning: value not a number/date/boolean/IP/base64/ARN as the operator expects.
    TypeMismatch = "type-mismatch",
    /// Warning: `*`/`?` in a `String…Equals` value.
    WildcardWithoutLike = "wildcard-without-like",
    /// Warning: CIDR with bits beyond its prefix.
    CidrHostBits = "cidr-host-bits",
    /// Error: `aws:SourceIp` listing only private ranges.
    SourceIpPrivateOnly = "source-ip-private-only",
    /// Error: `${}`, missing `}`, spaces in the key, bad default quoting.
    InvalidPolicyVariable = "invalid-policy-variable",
    /// Warning: `${…}` under 2008-10-17 or no Version: literal text.
    PolicyVariableInOldVersion = "policy-variable-in-old-version",
    /// Error: variable in Action, Principal, a condition key or an ARN before the resource part.
    PolicyVariableNotAllowed = "policy-variable-not-allowed",
    /// Error: variable with a non-String/ARN operator (§8-Q17).
    PolicyVariableUnsupportedOperator = "policy-variable-unsupported-operator",
    /// Error: variable naming a multivalued key.
    PolicyVariableMultivaluedKey = "policy-variable-multivalued-key",
    /// Error (catalog): no AWS service has this prefix.
    UnknownService = "unknown-service",
    /// Error (catalog): the service has no such action (with a "did you mean").
    UnknownAction = "unknown-action",
    /// Warning (catalog): a wildcard action that matches no action of the service.
    ActionPatternMatchesNothing = "action-pattern-matches-nothing",
    /// Error (catalog): no Resource entry can match a resource type of a listed action.
    ResourceTypeMismatch = "resource-type-mismatch",
    /// Warning (catalog): neither a global condition key nor one of the service's.
    UnknownConditionKey = "unknown-condition-key",
    /// Warning (catalog): the key is never in the requests of the statement's actions.
    ConditionKeyNotForAction = "condition-key-not-for-action",
    /// Warning (catalog): the operator does not suit the key's type.
    OperatorKeyTypeMismatch = "operator-key-type-mismatch",
}

impl std::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FindingCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        FindingCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding code {code:?}")))
    }
}

impl PartialEq<&str> for FindingCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One validation finding: a stable code, a message and the span it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    /// What the finding is about; serialized as its code string.
    pub code: FindingCode,
    pub message: String,
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for c in FindingCode::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.split('-').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{s}"
            );
        }
    }

    #[test]
    fn the_documented_table_lists_every_code_and_no_other() {
        let doc = include_str!("../../../../docs/engine.md");
        let table = doc
            .split("### Finding codes")
            .nth(1)
            .and_then(|rest| rest.split("\n#").next())
            .unwrap_or_default();
        let mut documented: Vec<&str> = table
            .lines()
            .filter_map(|l| l.strip_prefix("| "))
            .filter_map(|l| l.split(" | ").next())
            .flat_map(|cell| cell.split('`').skip(1).step_by(2))
            .collect();
        documented.sort_unstable();
        let mut codes: Vec<&str> = FindingCode::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        assert_eq!(documented, codes);
    }

    #[test]
    fn serializes_as_its_code() {
        assert_eq!(
            serde_json::to_string(&FindingCode::MissingEffect).unwrap_or_default(),
            "\"missing-effect\""
        );
    }
}
