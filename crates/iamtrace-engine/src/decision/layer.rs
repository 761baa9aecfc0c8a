//! The policy layers AWS names in its AccessDenied text (rules §1.1, §6.2).

use crate::policy::PolicyType;
use serde::{Deserialize, Serialize};

/// A policy layer, with the names the conformance scenarios use
/// (`identity | resource | permissions_boundary | scp | rcp | session | vpc_endpoint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Identity,
    /// Resource-based policy, including KMS key policies and role trust policies (§2.1, §2.2).
    Resource,
    PermissionsBoundary,
    Scp,
    Rcp,
    Session,
    VpcEndpoint,
}

impl Layer {
    /// The scenario-file name of the layer (`permissions_boundary`, …).
    pub fn name(self) -> &'static str {
        match self {
            Layer::Identity => "identity",
            Layer::Resource => "resource",
            Layer::PermissionsBoundary => "permissions_boundary",
            Layer::Scp => "scp",
            Layer::Rcp => "rcp",
            Layer::Session => "session",
            Layer::VpcEndpoint => "vpc_endpoint",
        }
    }

    /// Reads a scenario-file layer name.
    pub fn from_name(name: &str) -> Option<Layer> {
        Some(match name {
            "identity" => Layer::Identity,
            "resource" => Layer::Resource,
            "permissions_boundary" => Layer::PermissionsBoundary,
            "scp" => Layer::Scp,
            "rcp" => Layer::Rcp,
            "session" => Layer::Session,
            "vpc_endpoint" => Layer::VpcEndpoint,
            _ => return None,
        })
    }

    /// The policy type the layer's documents are read as (the resource layer is a trust policy
    /// for `sts:AssumeRole*`, which the decision decides).
    pub fn policy_type(self) -> PolicyType {
        match self {
            Layer::Identity => PolicyType::Identity,
            Layer::Resource => PolicyType::Resource,
            Layer::PermissionsBoundary => PolicyType::PermissionsBoundary,
            Layer::Scp => PolicyType::Scp,
            Layer::Rcp => PolicyType::Rcp,
            Layer::Session => PolicyType::Session,
            Layer::VpcEndpoint => PolicyType::VpcEndpoint,
        }
    }
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
