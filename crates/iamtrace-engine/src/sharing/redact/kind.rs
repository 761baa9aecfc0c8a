//! What kind of value a redacted string is: it decides the placeholder it gets.

use serde::Serialize;

/// The kinds of identifying values a case holds, as AWS's documentation names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A 12-digit AWS account ID.
    Account,
    /// An organization ID (`o-…`).
    Organization,
    /// An organization root ID (`r-…`).
    Root,
    /// An organizational unit ID (`ou-…`).
    OrganizationalUnit,
    /// An Organizations policy ID (`p-…`).
    PolicyId,
    /// An IAM user name.
    User,
    /// An IAM role name.
    Role,
    /// A role session name or federated user name.
    Session,
    /// An IAM path element (`/division_abc/`).
    Path,
    /// An S3 bucket name.
    Bucket,
    /// Part of an S3 object key.
    ObjectKey,
    /// The name of any other resource (queue, topic, function, table, secret, policy…).
    ResourceName,
    /// A resource ID with a type prefix (`i-…`, `sg-…`, `subnet-…`).
    ResourceId,
    /// A KMS key ID (a UUID).
    KeyId,
    /// A VPC ID (`vpc-…`).
    Vpc,
    /// A VPC endpoint ID (`vpce-…`).
    VpcEndpoint,
    /// An IPv4 or IPv6 address or CIDR range.
    IpAddress,
    /// An IAM unique ID (`AIDA…`, `AROA…`, `AKIA…`).
    UniqueId,
    /// An S3 canonical user ID.
    CanonicalUser,
    /// The external ID a trust policy requires (`sts:ExternalId`).
    ExternalId,
    /// A tag value (`aws:PrincipalTag/…`, `aws:ResourceTag/…`, `aws:RequestTag/…`).
    TagValue,
}

impl ValueKind {
    /// Words for a user: "account ID", "bucket name".
    pub fn label(self) -> &'static str {
        match self {
            ValueKind::Account => "account ID",
            ValueKind::Organization => "organization ID",
            ValueKind::Root => "organization root ID",
            ValueKind::OrganizationalUnit => "organizational unit ID",
            ValueKind::PolicyId => "Organizations policy ID",
            ValueKind::User => "user name",
            ValueKind::Role => "role name",
            ValueKind::Session => "session name",
            ValueKind::Path => "IAM path",
            ValueKind::Bucket => "bucket name",
            ValueKind::ObjectKey => "object key",
            ValueKind::ResourceName => "resource name",
            ValueKind::ResourceId => "resource ID",
            ValueKind::KeyId => "KMS key ID",
            ValueKind::Vpc => "VPC ID",
            ValueKind::VpcEndpoint => "VPC endpoint ID",
            ValueKind::IpAddress => "IP address",
            ValueKind::UniqueId => "unique ID",
            ValueKind::CanonicalUser => "canonical user ID",
            ValueKind::ExternalId => "external ID",
            ValueKind::TagValue => "tag value",
        }
    }

    /// Account and resource IDs keep their exact form; names may change case together.
    pub fn is_name(self) -> bool {
        matches!(
            self,
            ValueKind::User
                | ValueKind::Role
                | ValueKind::Session
                | ValueKind::Path
                | ValueKind::Bucket
                | ValueKind::ObjectKey
                | ValueKind::ResourceName
                | ValueKind::ExternalId
                | ValueKind::TagValue
        )
    }
}
