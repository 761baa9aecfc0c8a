//! Whether the reproduction agrees with what AWS claimed (same decision, same layer, same policy
//! where AWS named one, the statements AWS matched) and, when it does not, what input is most
//! likely missing.

use super::observed::{layer_title, Observed};
use super::ArtefactKind;
use crate::decision::{Decision, Evaluation, GateKind};
use crate::scenario::{PolicySource, Scenario};
use serde::Serialize;
use serde_json::Value;

/// One comparison between AWS's claim and the reproduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementCheck {
    /// `decision`, `layer`, `policy_arn` or `matched_statement`.
    pub what: String,
    /// What AWS said.
    pub aws: String,
    /// What iamtrace found.
    pub iamtrace: String,
    pub agrees: bool,
}

/// Whether the reproduction agrees with AWS and, when not, what is most likely missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Agreement {
    /// Every check agrees.
    pub agrees: bool,
    pub checks: Vec<AgreementCheck>,
    /// What input is most likely missing or different, most likely first.
    pub likely_missing: Vec<String>,
    /// One sentence for the user.
    pub summary: String,
}

/// A pasted policy: its layer, label and the Sids of its statements.
struct Pasted<'a> {
    layer: &'static str,
    source: &'a PolicySource,
    sids: Vec<String>,
}

fn sids(text: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let stmts = match v.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(o @ Value::Object(_)) => vec![o.clone()],
        _ => Vec::new(),
    };
    stmts
        .iter()
        .filter_map(|s| s.get("Sid").and_then(Value::as_str).map(str::to_string))
        .collect()
}

fn pasted(s: &Scenario) -> Vec<Pasted<'_>> {
    let p = &s.policies;
    let mut out: Vec<(&'static str, &PolicySource)> = Vec::new();
    for src in p.identity.iter().flatten() {
        out.push(("identity", src));
    }
    for src in p.resource.iter() {
        out.push(("resource", src));
    }
    for src in p.permissions_boundary.iter() {
        out.push(("permissions_boundary", src));
    }
    for src in p.scp.iter().flatten().flatten() {
        out.push(("scp", src));
    }
    for src in p.rcp.iter().flatten().flatten() {
        out.push(("rcp", src));
    }
    for src in p.session.iter().flatten() {
        out.push(("session", src));
    }
    for src in p.vpc_endpoint.iter() {
        out.push(("vpc_endpoint", src));
    }
    out.into_iter()
        .map(|(layer, source)| Pasted {
            layer,
            source,
            sids: sids(&source.text),
        })
        .collect()
}

fn layer_given(s: &Scenario, layer: &str) -> bool {
    let p = &s.policies;
    match layer {
        "identity" => p.identity.as_ref().is_some_and(|v| !v.is_empty()),
        "resource" => p.resource.is_some(),
        "permissions_boundary" => p.permissions_boundary.is_some(),
        "scp" => p.scp.as_ref().is_some_and(|v| !v.is_empty()),
        "rcp" => p.rcp.as_ref().is_some_and(|v| !v.is_empty()),
        "session" => p.session.as_ref().is_some_and(|v| !v.is_empty()),
        "vpc_endpoint" => p.vpc_endpoint.is_some(),
        _ => false,
    }
}

/// The kind of policy a layer holds, for "no … was given".
fn layer_noun(layer: &str) -> &str {
    match layer {
        "identity" => "identity-based policy",
        "resource" => "resource-based policy",
        "permissions_boundary" => "permissions boundary",
        "scp" => "SCP",
        "rcp" => "RCP",
        "session" => "session policy",
        "vpc_endpoint" => "VPC endpoint policy",
        other => other,
    }
}

fn source_name(k: Option<ArtefactKind>) -> &'static str {
    match k {
        Some(ArtefactKind::DecodedMessage) => "the decoded message",
        Some(ArtefactKind::ErrorText) => "the error message",
        Some(ArtefactKind::CloudtrailEvent) => "the CloudTrail event",
        Some(ArtefactKind::AccessTroubleshooter) => "the Access Troubleshooter output",
        Some(ArtefactKind::AuthorizationDetails) => "the authorization details",
        Some(ArtefactKind::Collected) => "the collected policies",
        Some(ArtefactKind::PolicyOutput) => "the pasted policy",
        Some(ArtefactKind::Scenario) | None => "AWS's claim",
    }
}

fn has_key(s: &Scenario, o: &Observed, key: &str) -> bool {
    s.request
        .context
        .keys()
        .chain(o.context_keys.iter())
        .any(|k| k.eq_ignore_ascii_case(key))
}

/// Compares AWS's claim with the reproduction and names what is most likely missing.
pub fn agreement(observed: &Observed, scenario: &Scenario, evaluation: &Evaluation) -> Agreement {
    let mut checks = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let ours = evaluation.decision;
    let src = source_name(observed.source);
    let pasted = pasted(scenario);

    // Decision.
    let decision_agrees = match observed.decision.as_str() {
        "denied" => ours != Decision::Allowed,
        d => d == ours.name(),
    };
    match &evaluation.undecided {
        // An undecided reproduction agrees with nothing for certain.
        Some(u) => {
            checks.push(AgreementCheck {
                what: "decision".into(),
                aws: observed.decision.clone(),
                iamtrace: format!(
                    "undecided ({} or {})",
                    u.most_permissive.decision, u.most_restrictive.decision
                ),
                agrees: false,
            });
            missing.push(format!(
                "the result depends on statements iamtrace could not evaluate ({}): fix them to compare with AWS",
                u.summary
            ));
        }
        None => checks.push(AgreementCheck {
            what: "decision".into(),
            aws: observed.decision.clone(),
            iamtrace: ours.name().into(),
            agrees: decision_agrees,
        }),
    }

    // Layer.
    if let Some(layer) = &observed.layer {
        let mine = evaluation.denied_by.map(|l| l.name().to_string());
        let agrees = mine.as_deref() == Some(layer.as_str());
        checks.push(AgreementCheck {
            what: "layer".into(),
            aws: layer.clone(),
            iamtrace: mine.unwrap_or_else(|| "none".into()),
            agrees,
        });
        if !agrees {
            if !layer_given(scenario, layer) {
                missing.push(format!(
                    "AWS blamed {}, but no {} was given",
                    layer_title(layer),
                    layer_noun(layer)
                ));
            } else {
                missing.push(format!(
                    "AWS blamed {}, but what was pasted for that layer does not deny this request: check it is complete and the version AWS evaluated",
                    layer_title(layer)
                ));
            }
        }
    }

    // Policy ARN (§6.5).
    if let Some(arn) = &observed.policy_arn {
        let by_arn: Vec<&Pasted> = pasted
            .iter()
            .filter(|p| p.source.arn.as_deref() == Some(arn.as_str()))
            .collect();
        let decisive: Vec<usize> = evaluation
            .gates
            .iter()
            .filter(|g| g.decisive)
            .flat_map(|g| {
                let from_deciding: Vec<usize> = g.deciding.iter().map(|d| d.policy).collect();
                if from_deciding.is_empty() {
                    g.policies.iter().map(|p| p.policy).collect()
                } else {
                    from_deciding
                }
            })
            .collect();
        let decisive_arns: Vec<String> = decisive
            .iter()
            .filter_map(|i| evaluation.policies.get(*i).and_then(|p| p.arn.clone()))
            .collect();
        let agrees = decisive_arns.iter().any(|a| a == arn);
        checks.push(AgreementCheck {
            what: "policy_arn".into(),
            aws: arn.clone(),
            iamtrace: if decisive_arns.is_empty() {
                "no named policy".into()
            } else {
                decisive_arns.join(", ")
            },
            agrees,
        });
        if !agrees {
            let name = observed
                .policy_name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            if by_arn.is_empty() {
                missing.push(format!(
                    "AWS named the policy {arn}{name}, but no pasted policy has that ARN: paste it (with its ARN) or set the ARN on the policy it is"
                ));
            } else {
                missing.push(format!(
                    "AWS named the policy {arn}{name}; the pasted copy (in the {} layer) does not decide the request here: it may differ from the version AWS evaluated",
                    by_arn[0].layer
                ));
            }
        }
    }

    // Matched statements (decoded messages and Access Troubleshooter name them by Sid).
    let deciding_labels: Vec<String> = evaluation
        .gates
        .iter()
        .filter(|g| g.decisive || g.kind == GateKind::ExplicitDeny)
        .flat_map(|g| g.deciding.iter().map(|d| d.label.clone()))
        .collect();
    for st in observed
        .matched_statements
        .iter()
        .filter(|s| s.effect.eq_ignore_ascii_case("deny"))
    {
        if st.sid.is_empty() {
            continue;
        }
        let in_pasted = pasted.iter().any(|p| p.sids.iter().any(|s| s == &st.sid));
        let agrees = deciding_labels.iter().any(|l| l == &st.sid);
        checks.push(AgreementCheck {
            what: "matched_statement".into(),
            aws: format!("Deny {}", st.sid),
            iamtrace: if agrees {
                format!("Deny {}", st.sid)
            } else if in_pasted {
                format!("{} does not apply", st.sid)
            } else {
                "no such Sid".into()
            },
            agrees,
        });
        if !agrees {
            if in_pasted {
                missing.push(format!(
                    "AWS matched statement `{}` explicitly; the pasted statement does not apply here: a context key or the resource likely differs from what AWS saw",
                    st.sid
                ));
            } else {
                missing.push(format!(
                    "AWS matched statement `{}` explicitly; no pasted policy has that Sid",
                    st.sid
                ));
            }
        }
    }

    let agrees = checks.iter().all(|c| c.agrees);
    if !agrees {
        // Layers AWS evaluated (troubleshooter) that were not given.
        let mut seen = Vec::new();
        for p in &observed.evaluated_policies {
            if let Some(l) = &p.layer {
                if !layer_given(scenario, l) && !seen.contains(l) {
                    seen.push(l.clone());
                    missing.push(format!(
                        "AWS evaluated {} ({}), but none was given",
                        layer_title(l),
                        p.uri
                    ));
                }
            }
        }
        if has_key(scenario, observed, "aws:SourceVpce") && scenario.policies.vpc_endpoint.is_none()
        {
            missing.push(format!(
                "{src} carries aws:SourceVpce, but no VPC endpoint policy was given"
            ));
        }
        for k in evaluation.missing_keys.iter().filter(|k| k.would_match) {
            missing.push(format!(
                "the context key {} was not given: {}",
                k.key, k.message
            ));
        }
        if !evaluation.errors.is_empty() {
            missing.push(format!(
                "{} input error(s) made the reproduction incomplete: {}",
                evaluation.errors.len(),
                evaluation
                    .errors
                    .iter()
                    .map(|e| format!("{}: {}", e.place, e.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        // The decisions differ and nothing more specific was found: say which way.
        if !decision_agrees && missing.is_empty() {
            if ours == Decision::Allowed {
                let absent: Vec<&str> = [
                    "scp",
                    "rcp",
                    "resource",
                    "permissions_boundary",
                    "session",
                    "vpc_endpoint",
                ]
                .into_iter()
                .filter(|l| !layer_given(scenario, l))
                .map(layer_noun)
                .collect();
                missing.push(format!(
                    "AWS denied but the pasted policies allow: a policy AWS evaluated is missing or differs{}",
                    if absent.is_empty() {
                        String::new()
                    } else {
                        format!(" (not given: {})", absent.join(", "))
                    }
                ));
            } else if observed.decision == "allowed" {
                missing.push("AWS allowed the request but the pasted policies deny it: a pasted policy is stricter than the one AWS evaluated, or a context value differs".into());
            } else {
                missing.push(format!(
                    "AWS said {} but the reproduction is {}: a Deny statement AWS saw is missing, or one pasted applies where AWS's did not",
                    observed.decision.replace('_', " "),
                    ours.name().replace('_', " ")
                ));
            }
        }
    }
    let summary = if agrees {
        format!(
            "iamtrace agrees with AWS: {}{}",
            ours.name().replace('_', " "),
            evaluation
                .denied_by
                .map(|l| format!(" in {}", layer_title(l.name())))
                .unwrap_or_default()
        )
    } else {
        let failed: Vec<&str> = checks
            .iter()
            .filter(|c| !c.agrees)
            .map(|c| c.what.as_str())
            .collect();
        format!(
            "iamtrace does not agree with AWS ({} differ){}",
            failed.join(", "),
            missing
                .first()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        )
    };
    Agreement {
        agrees,
        checks,
        likely_missing: missing,
        summary,
    }
}

/// The agreement for a scenario that carries AWS's claim in `observed`; `None` without a claim.
pub fn scenario_agreement(
    scenario: &Scenario,
    evaluation: &Evaluation,
) -> Option<Result<Agreement, String>> {
    let v = scenario.observed.as_ref()?;
    Some(Observed::from_json(v).map(|o| agreement(&o, scenario, evaluation)))
}
