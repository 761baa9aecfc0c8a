//! Which resource each action of a sweep is decided on.
//!
//! AWS authorizes every action on its own resource: the Service Authorization Reference lists,
//! per action, the resource types it is authorized on (with their ARN formats), and an action
//! with none "does not support resource-level permissions", so only `"Resource": "*"` covers it
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>).
//! A sweep asks what the case's principal can do *here*, so each action gets:
//!
//! - the case's resource, when it fits the ARN format of one of the action's resource types
//!   (`s3:GetObject` and `s3:PutObject` on `arn:aws:s3:::bucket/key`),
//! - `*`, when the action has no resource types (`s3:ListAllMyBuckets`),
//! - nothing, otherwise: the action is authorized on another resource type (`s3:ListBucket`
//!   on a bucket, not on an object) and is not decided.

use crate::catalog::{arn_fits_format, ActionRef, Catalog, ResourceType};
use serde::Serialize;

/// The resource an action of a sweep is decided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The case's resource fits one of the action's resource types.
    CaseResource,
    /// The action has no resource-level permissions: decided on `*`.
    AllResources,
    /// The action is authorized on other resource types than the case's resource: not decided.
    OtherResourceTypes,
}

/// Whether the case's resource fits each resource type, worked out once per service.
pub(crate) struct ResourceFit<'c> {
    catalog: &'c Catalog,
    /// The resource's service field, lower-cased (`None` for `*` or text that is not an ARN).
    service_field: Option<String>,
    resource: String,
    /// Per service (catalog position), per resource type.
    fits: Vec<Option<Vec<bool>>>,
}

impl<'c> ResourceFit<'c> {
    pub(crate) fn new(catalog: &'c Catalog, resource: &str) -> ResourceFit<'c> {
        let resource = resource.trim().to_string();
        let service_field = crate::matching::split_arn(&resource)
            .and_then(|f| f.get(2).map(|s| s.to_ascii_lowercase()));
        ResourceFit {
            catalog,
            service_field,
            resource,
            fits: (0..catalog.services().len()).map(|_| None).collect(),
        }
    }

    /// The resource an action is decided on; `service` is the action's service position in the
    /// catalog.
    pub(crate) fn scope(&mut self, service: usize, action: &ActionRef<'_>) -> Scope {
        let mut types = action
            .action
            .resource_types
            .iter()
            .map(|&(i, _)| usize::from(i))
            .peekable();
        if types.peek().is_none() {
            return Scope::AllResources;
        }
        let Some(field) = &self.service_field else {
            return Scope::OtherResourceTypes;
        };
        let Some(slot) = self.fits.get_mut(service) else {
            return Scope::OtherResourceTypes;
        };
        let fits = slot.get_or_insert_with(|| {
            let types = self
                .catalog
                .services()
                .get(service)
                .map(|s| s.resource_types())
                .unwrap_or_default();
            types
                .iter()
                .map(|t| type_fits(t, field, &self.resource))
                .collect()
        });
        if types.any(|i| fits.get(i).copied().unwrap_or(false)) {
            Scope::CaseResource
        } else {
            Scope::OtherResourceTypes
        }
    }
}

/// Whether `resource` (whose service field is `field`, lower-cased) is of the resource type.
/// Formats of another service are ruled out by their service field before the full match.
fn type_fits(t: &ResourceType, field: &str, resource: &str) -> bool {
    t.arn_formats().iter().any(|f| {
        let format_service = f.split(':').nth(2).unwrap_or("");
        (format_service.contains("${") || format_service.eq_ignore_ascii_case(field))
            && arn_fits_format(resource, f)
    })
}
