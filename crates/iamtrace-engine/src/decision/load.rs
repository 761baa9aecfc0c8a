//! Reading and evaluating every policy of a scenario, and which layers take part (SCP and RCP
//! exemptions, §1.6, §1.7).

use super::evaluate::{a_caller, Run, Sets};
use super::layer::Layer;
use super::result::{InputError, PolicyError, PolicyReport};
use super::services;
use crate::matching::evaluate_policy;
use crate::policy::{json, policy_from_json, quota, PolicyType, Span};
use crate::request::Caller;
use crate::scenario::{PolicySource, Scenario};

impl Run {
    /// of §6.3 (SCP, RCP, VPC endpoint, resource-based, identity, boundary, session).
    pub(super) fn load(&mut self, scenario: &Scenario) -> Sets {
        let p = &scenario.policies;
        let req = &self.request;
        let action = req.action.clone();
        let service = req.service();
        let kms_alias = service == "kms" && services::is_kms_alias(&req.resource);
        self.resource_type = if services::is_trust_policy_action(&action) {
            PolicyType::TrustPolicy
        } else {
            PolicyType::Resource
        };

        let scp_applies = self.scp_exemption(scenario).is_none();
        let rcp_applies = self.rcp_exemption(scenario, &service).is_none();
        let caller = req.caller.clone();
        let identity_applies = caller.is_iam_principal();
        let boundary_applies = caller.is_iam_principal();
        let session_applies = caller.is_session();

        let mut sets = Sets::default();
        if let Some(levels) = &p.scp {
            sets.scp = Some(self.load_levels(levels, Layer::Scp, scp_applies));
        }
        if let Some(levels) = &p.rcp {
            sets.rcp = Some(self.load_levels(levels, Layer::Rcp, rcp_applies));
        }
        if let Some(src) = &p.vpc_endpoint {
            sets.vpc_endpoint = Some(self.load_one(src, Layer::VpcEndpoint, None, 0, true));
        }
        if let Some(src) = &p.resource {
            // A KMS alias has no key policy (AWS KMS, Controlling access to aliases).
            sets.resource = Some(self.load_one(src, Layer::Resource, None, 0, !kms_alias));
        }
        if let Some(list) = &p.identity {
            if !identity_applies && !list.is_empty() {
                self.assume(format!(
                    "{} has no identity-based policies; the {} pasted were not used",
                    a_caller(&caller),
                    list.len()
                ));
            }
            sets.identity = Some(self.load_list(list, Layer::Identity, identity_applies));
        }
        if let Some(src) = &p.permissions_boundary {
            sets.boundary =
                Some(self.load_one(src, Layer::PermissionsBoundary, None, 0, boundary_applies));
        }
        if let Some(list) = &p.session {
            if !session_applies && !list.is_empty() {
                self.assume(format!(
                    "session policies narrow role sessions and federated users only (§1.8); {} has none, so they were not used",
                    a_caller(&caller)
                ));
            }
            sets.session = Some(self.load_list(list, Layer::Session, session_applies));
        }
        sets
    }

    fn load_levels(
        &mut self,
        levels: &[Vec<PolicySource>],
        layer: Layer,
        participates: bool,
    ) -> Vec<Vec<usize>> {
        levels
            .iter()
            .enumerate()
            .map(|(lvl, list)| {
                list.iter()
                    .enumerate()
                    .map(|(i, src)| self.load_one(src, layer, Some(lvl), i, participates))
                    .collect()
            })
            .collect()
    }

    fn load_list(&mut self, list: &[PolicySource], layer: Layer, participates: bool) -> Vec<usize> {
        list.iter()
            .enumerate()
            .map(|(i, src)| self.load_one(src, layer, None, i, participates))
            .collect()
    }

    fn load_one(
        &mut self,
        src: &PolicySource,
        layer: Layer,
        level: Option<usize>,
        index: usize,
        participates: bool,
    ) -> usize {
        let policy_type = if layer == Layer::Resource {
            self.resource_type
        } else {
            layer.policy_type()
        };
        let place = match level {
            Some(l) => format!("policies.{}[{l}][{index}]", layer.name()),
            None if matches!(layer, Layer::Identity | Layer::Session) => {
                format!("policies.{}[{index}]", layer.name())
            }
            None => format!("policies.{}", layer.name()),
        };
        let mut report = PolicyReport {
            layer,
            policy_type,
            level,
            index,
            name: src.name.clone(),
            arn: src.arn.clone(),
            base: src.base,
            participates,
            error: None,
            findings: Vec::new(),
            trace: None,
        };
        if let Err(message) = quota::check_size(&src.text, policy_type) {
            self.errors.push(InputError {
                place,
                message: message.clone(),
                line: src.base.map(|b| b.line),
                column: src.base.map(|b| b.column),
            });
            report.error = Some(PolicyError {
                message,
                line: 1,
                column: 1,
                span: Span {
                    start: 0,
                    end: 0,
                    line: 1,
                    column: 1,
                },
            });
            self.reports.push(report);
            return self.reports.len() - 1;
        }
        match json::parse(&src.text) {
            Ok(doc) => {
                let parsed = policy_from_json(&doc, policy_type);
                let mut trace = evaluate_policy(&parsed.policy, policy_type, &self.request);
                for st in &mut trace.statements {
                    if let Some(statement) = parsed
                        .policy
                        .statements
                        .iter()
                        .find(|s| s.index == st.index)
                    {
                        st.diagnosis = crate::lint::diagnose(statement, st, &self.request);
                    }
                }
                report.trace = Some(trace);
                let mut findings = parsed.findings;
                findings.extend(crate::lint::lint_policy(&parsed.policy, policy_type));
                findings.sort_by_key(|f| (f.span.start, f.span.end));
                report.findings = findings;
            }
            Err(e) => {
                // A policy given as a JSON string was decoded first (escapes such as \n and \"
                // change every position after them), so its positions are in the policy text,
                // and the file position is where the string starts.
                let (message, line, column) = match src.base.or(src.string_at) {
                    Some(b) if src.was_string => (
                        format!(
                            "the policy is not valid JSON: {} (at line {}, column {} of the policy \
                             text inside the JSON string that starts at line {}, column {})",
                            e.message, e.span.line, e.span.column, b.line, b.column
                        ),
                        b.line,
                        b.column,
                    ),
                    Some(b) => {
                        let f = e.span.offset_by(b);
                        (
                            format!("the policy is not valid JSON: {}", e.message),
                            f.line,
                            f.column,
                        )
                    }
                    None => (
                        format!("the policy is not valid JSON: {}", e.message),
                        e.span.line,
                        e.span.column,
                    ),
                };
                self.errors.push(InputError {
                    place,
                    message,
                    line: Some(line),
                    column: Some(column),
                });
                report.error = Some(PolicyError {
                    message: e.message,
                    line: e.span.line,
                    column: e.span.column,
                    span: e.span,
                });
            }
        }
        self.reports.push(report);
        self.reports.len() - 1
    }

    /// Why the caller's SCPs do not apply, if they do not (§1.6).
    pub(super) fn scp_exemption(&self, scenario: &Scenario) -> Option<String> {
        let caller = &self.request.caller;
        if scenario.policies.scp.is_none() {
            return Some(
                "no SCPs given: the caller's account is not in an organization (or SCPs are not enabled)"
                    .into(),
            );
        }
        if matches!(caller, Caller::Service { .. } | Caller::Anonymous) {
            return Some(format!(
                "SCPs restrict IAM users, roles and root users of member accounts, not {} (§1.6)",
                a_caller(caller)
            ));
        }
        if caller.is_service_linked_role() {
            return Some("service-linked roles are not restricted by SCPs (§1.6)".into());
        }
        if scenario.options.caller_is_management_account {
            return Some(
                "the caller's account is the organization's management account, which SCPs do not restrict (§1.6)"
                    .into(),
            );
        }
        None
    }

    /// Why the resource owner's RCPs do not apply, if they do not (§1.7).
    pub(super) fn rcp_exemption(&self, scenario: &Scenario, service: &str) -> Option<String> {
        let req = &self.request;
        if scenario.policies.rcp.is_none() {
            return Some(
                "no RCPs given: the resource owner's account is not in an organization (or RCPs are not enabled)"
                    .into(),
            );
        }
        if req.caller.is_service_linked_role() {
            return Some("calls made by service-linked roles are exempt from RCPs (§1.7)".into());
        }
        if scenario.options.resource_in_management_account {
            return Some(
                "the resource is in the organization's management account, which RCPs do not restrict (§1.7)"
                    .into(),
            );
        }
        if !services::RCP_SERVICES.contains(&service) {
            return Some(format!(
                "RCPs do not cover the '{service}' service (services in scope: §1.7)"
            ));
        }
        if !services::rcp_covers(service, &req.action) {
            return Some(format!("{} is exempt from RCPs (§1.7)", req.action));
        }
        None
    }
}
