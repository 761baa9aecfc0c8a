//! Whether a case reproduces what AWS said, and when it cannot yet, what to paste next.
//!
//! AWS's claim is the scenario's `observed` (from a pasted artefact) or else its `expect`. The
//! status is `reproduced` (same decision, and the same layer when AWS named one), `incomplete`
//! (the layer AWS blamed holds no policy, a policy AWS named is not pasted, or one of the layer's
//! policies could not be read), `differs` (the inputs AWS's claim points at are present but the
//! result is another) or `no_claim`. [`MissingInput`]s say what to paste, best first, each with
//! the AWS CLI command that prints it ([`commands`]).

pub mod commands;
mod differs;

use crate::decision::{Decision, Evaluation, Layer};
use crate::imports::{agreement, Observed};
use crate::scenario::{PolicySource, Scenario};
use commands::{layer_command, organizations_policy_id, CaseFacts};
use serde::Serialize;

/// How far the case is from reproducing AWS's claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReproductionStatus {
    /// Same decision, and the same layer when AWS named one.
    Reproduced,
    /// Inputs are missing: the blamed layer holds no policy, or one of its policies is unreadable.
    Incomplete,
    /// The inputs are present but the result differs from AWS's.
    Differs,
    /// Neither an `observed` claim nor an `expect`.
    NoClaim,
}

impl ReproductionStatus {
    /// The snake_case name used in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            ReproductionStatus::Reproduced => "reproduced",
            ReproductionStatus::Incomplete => "incomplete",
            ReproductionStatus::Differs => "differs",
            ReproductionStatus::NoClaim => "no_claim",
        }
    }
}

/// One input to paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingInput {
    pub layer: Layer,
    /// The policy AWS named (an Organizations `p-…` id, or a managed policy ARN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_id: Option<String>,
    /// Why it is needed, in a sentence.
    pub reason: String,
    /// The AWS CLI command that prints it (or a `#` comment when it cannot be fetched).
    pub command: String,
}

/// The reproduction status of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reproduction {
    pub status: ReproductionStatus,
    /// What to paste, best first.
    pub missing: Vec<MissingInput>,
    /// One sentence for the user.
    pub summary: String,
    /// When the result differs: what differs and the likely missing or different input, most
    /// likely first (hints: AWS does not say which of its inputs differ from the case's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub likely: Vec<String>,
}

/// AWS's claim, reduced to what the status compares.
struct Claim {
    decision: String,
    layer: Option<Layer>,
    policy_arn: Option<String>,
    observed: Option<Observed>,
}

fn claim(s: &Scenario) -> Result<Option<Claim>, String> {
    if let Some(v) = &s.observed {
        let o = Observed::from_json(v)?;
        return Ok(Some(Claim {
            decision: o.decision.clone(),
            layer: o.layer.as_deref().and_then(Layer::from_name),
            policy_arn: o.policy_arn.clone(),
            observed: Some(o),
        }));
    }
    Ok(s.expect.as_ref().map(|e| Claim {
        decision: e.decision.clone(),
        layer: e.denied_by.as_deref().and_then(Layer::from_name),
        policy_arn: None,
        observed: None,
    }))
}

/// The layer's policies as given; `None` when the layer was not given at all.
fn layer_sources(s: &Scenario, layer: Layer) -> Option<Vec<&PolicySource>> {
    let p = &s.policies;
    match layer {
        Layer::Identity => p.identity.as_ref().map(|v| v.iter().collect()),
        Layer::Session => p.session.as_ref().map(|v| v.iter().collect()),
        Layer::Resource => p.resource.as_ref().map(|v| vec![v]),
        Layer::PermissionsBoundary => p.permissions_boundary.as_ref().map(|v| vec![v]),
        Layer::VpcEndpoint => p.vpc_endpoint.as_ref().map(|v| vec![v]),
        Layer::Scp => p
            .scp
            .as_ref()
            .filter(|l| l.iter().any(|lvl| !lvl.is_empty()))
            .map(|l| l.iter().flatten().collect()),
        Layer::Rcp => p
            .rcp
            .as_ref()
            .filter(|l| l.iter().any(|lvl| !lvl.is_empty()))
            .map(|l| l.iter().flatten().collect()),
    }
}

fn layer_title(layer: Layer) -> &'static str {
    match layer {
        Layer::Identity => "an identity-based policy",
        Layer::Resource => "a resource-based policy",
        Layer::PermissionsBoundary => "a permissions boundary",
        Layer::Session => "a session policy",
        Layer::Scp => "a service control policy",
        Layer::Rcp => "a resource control policy",
        Layer::VpcEndpoint => "a VPC endpoint policy",
    }
}

fn layer_noun(layer: Layer) -> &'static str {
    match layer {
        Layer::Identity => "the caller's identity-based policies",
        Layer::Resource => "the resource-based policy",
        Layer::PermissionsBoundary => "the permissions boundary",
        Layer::Session => "the session policies",
        Layer::Scp => "the SCPs of the caller's account",
        Layer::Rcp => "the RCPs of the resource owner's account",
        Layer::VpcEndpoint => "the VPC endpoint policy",
    }
}

fn decision_words(d: &str) -> &str {
    match d {
        "explicit_deny" => "explicit deny",
        "implicit_deny" => "implicit deny",
        "allowed" => "allowed",
        _ => "denied",
    }
}

/// The id to show and fetch for a policy ARN AWS named: `p-…` for Organizations policies, the
/// ARN itself for IAM managed policies.
fn policy_id_of(arn: &str) -> String {
    organizations_policy_id(arn)
        .map(str::to_string)
        .unwrap_or_else(|| arn.to_string())
}

struct Finder<'a> {
    scenario: &'a Scenario,
    evaluation: &'a Evaluation,
    facts: CaseFacts,
    missing: Vec<MissingInput>,
}

impl Finder<'_> {
    fn push(&mut self, layer: Layer, policy_id: Option<String>, reason: String) {
        if self
            .missing
            .iter()
            .any(|m| m.layer == layer && m.policy_id == policy_id)
        {
            return;
        }
        let command = layer_command(&self.facts, layer, policy_id.as_deref());
        self.missing.push(MissingInput {
            layer,
            policy_id,
            reason,
            command,
        });
    }

    /// The layer holds no policy, or one of its policies could not be read.
    fn check_layer(&mut self, layer: Layer, why: &str) {
        let named_missing = self.missing.iter().any(|m| m.layer == layer);
        match layer_sources(self.scenario, layer) {
            None if named_missing => {}
            None => self.push(
                layer,
                None,
                format!("{why}, but {} were not given", layer_noun(layer)),
            ),
            Some(_) => {
                let unreadable: Vec<String> = self
                    .evaluation
                    .policies
                    .iter()
                    .filter(|p| p.layer == layer && p.error.is_some())
                    .map(|p| {
                        let name = p
                            .name
                            .clone()
                            .unwrap_or_else(|| format!("policy {}", p.index + 1));
                        let msg = p.error.as_ref().map(|e| e.message.as_str()).unwrap_or("");
                        format!("{name} ({msg})")
                    })
                    .collect();
                if !unreadable.is_empty() {
                    self.push(
                        layer,
                        None,
                        format!(
                            "{why}, but {} could not be read: {}; paste it again",
                            if unreadable.len() == 1 {
                                "one of its policies"
                            } else {
                                "some of its policies"
                            },
                            unreadable.join("; ")
                        ),
                    );
                }
            }
        }
    }

    /// AWS named a policy ARN that is not among the pasted policies of that layer.
    fn check_named(&mut self, layer: Layer, arn: &str, name: Option<&str>) {
        let id = policy_id_of(arn);
        let pasted = layer_sources(self.scenario, layer).unwrap_or_default();
        // A pasted policy without an ARN may be the one AWS named: only ARNs that all differ
        // prove it missing.
        let have = pasted.iter().any(|p| match p.arn.as_deref() {
            None => true,
            Some(a) => a == arn || organizations_policy_id(a) == Some(id.as_str()),
        });
        if !have {
            let name = name.map(|n| format!(" ({n})")).unwrap_or_default();
            self.push(
                layer,
                Some(id.clone()),
                format!("AWS named the policy {id}{name} as the one that denied; paste it"),
            );
        }
    }
}

/// The reproduction status of a case: compares AWS's claim (`observed`, else `expect`) with the
/// evaluation and lists what to paste next.
pub fn reproduction(scenario: &Scenario, evaluation: &Evaluation) -> Reproduction {
    let claim = match claim(scenario) {
        Ok(Some(c)) => c,
        Ok(None) => {
            return Reproduction {
                status: ReproductionStatus::NoClaim,
                missing: Vec::new(),
                likely: Vec::new(),
                summary: "Nothing to compare with: paste what AWS said (the AccessDenied message, a decoded authorization message or a CloudTrail event) or set expect".into(),
            }
        }
        Err(e) => {
            return Reproduction {
                status: ReproductionStatus::NoClaim,
                missing: Vec::new(),
                likely: Vec::new(),
                summary: format!("AWS's claim could not be read: {e}"),
            }
        }
    };
    let ours = evaluation.decision;
    let decision_agrees = match claim.decision.as_str() {
        "denied" => ours != Decision::Allowed,
        d => d == ours.name(),
    };
    let layer_agrees = claim.layer.is_none() || claim.layer == evaluation.denied_by;
    let same = decision_agrees && layer_agrees;
    let aws_words = decision_words(&claim.decision);

    let mut f = Finder {
        scenario,
        evaluation,
        facts: CaseFacts::from_scenario(scenario),
        missing: Vec::new(),
    };
    let named = claim.policy_arn.as_deref().map(policy_id_of);
    if let Some(layer) = claim.layer {
        let why = format!(
            "AWS says: {aws_words} in {}{}",
            layer_title(layer),
            named
                .as_deref()
                .map(|id| format!(" ({id})"))
                .unwrap_or_default()
        );
        if let (Some(arn), false) = (&claim.policy_arn, same) {
            let name = claim
                .observed
                .as_ref()
                .and_then(|o| o.policy_name.as_deref());
            f.check_named(layer, arn, name);
        }
        f.check_layer(layer, &why);
    }
    // Where iamtrace stopped, when that layer has nothing to decide with (unless AWS blamed that
    // very layer, checked above).
    if let Some(mine) = evaluation.denied_by.filter(|l| Some(*l) != claim.layer) {
        if layer_sources(scenario, mine).is_none() {
            f.check_layer(
                mine,
                &format!(
                    "iamtrace stops at {} only because nothing was pasted there",
                    layer_title(mine)
                ),
            );
        }
    }
    if !same {
        // AWS named no layer: the layers every such request needs.
        if claim.layer.is_none() && claim.decision != "allowed" {
            let caller = &evaluation.request.caller;
            if caller.is_iam_principal() {
                f.check_layer(Layer::Identity, &format!("AWS says: {aws_words}"));
            }
            let has_resource_policy =
                !commands::layer_command(&f.facts, Layer::Resource, None).starts_with('#');
            if has_resource_policy {
                f.check_layer(Layer::Resource, &format!("AWS says: {aws_words}"));
            }
        }
    }

    let missing = std::mem::take(&mut f.missing);
    let ours_words = match evaluation.denied_by {
        Some(l) => format!("{} in {}", decision_words(ours.name()), layer_title(l)),
        None => decision_words(ours.name()).to_string(),
    };
    let aws_full = match claim.layer {
        Some(l) => format!(
            "{aws_words} in {}{}",
            layer_title(l),
            named
                .as_deref()
                .map(|id| format!(" ({id})"))
                .unwrap_or_default()
        ),
        None => aws_words.to_string(),
    };
    let mut likely = Vec::new();
    let (status, summary) = if !missing.is_empty() {
        let what = if missing.len() == 1 {
            match &missing[0].policy_id {
                Some(id) => format!("paste the policy {id} to reproduce"),
                None => format!("paste {} to reproduce", layer_noun(missing[0].layer)),
            }
        } else {
            format!("{} inputs to paste to reproduce", missing.len())
        };
        (
            ReproductionStatus::Incomplete,
            format!("AWS says: {aws_full} — {what}"),
        )
    } else if same {
        (
            ReproductionStatus::Reproduced,
            format!("Reproduced: iamtrace finds what AWS said, {ours_words}"),
        )
    } else {
        likely = claim
            .observed
            .as_ref()
            .map(|o| agreement(o, scenario, evaluation).likely_missing)
            .unwrap_or_default();
        let claimed = differs::Claimed {
            decision: claim.decision.clone(),
            layer: claim.layer,
        };
        for l in differs::likely_causes(&claimed, evaluation) {
            if !likely.contains(&l) {
                likely.push(l);
            }
        }
        let hint = likely
            .first()
            .map(|m| format!("; likely: {m}"))
            .unwrap_or_default();
        (
            ReproductionStatus::Differs,
            format!("Differs: AWS says {aws_full}, iamtrace finds {ours_words}{hint}"),
        )
    };
    Reproduction {
        status,
        missing,
        summary,
        likely,
    }
}

#[cfg(test)]
mod tests;
