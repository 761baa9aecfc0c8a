//! The AWS CLI command that prints each layer's policies for the case's principal or resource,
//! shown next to the layer's editor with a copy button. The commands come from the engine
//! (`iamtrace_engine::reproduction::commands`), which the CLI uses too.

use crate::state::{Case, Layer};
use iamtrace_engine::reproduction::commands::{self, CaseFacts};

/// What a layer is, in one line (AWS's terms).
pub fn description(layer: Layer) -> &'static str {
    commands::layer_description(layer)
}

/// The facts of the case the commands need.
pub fn facts(case: &Case) -> CaseFacts {
    let resource_account = case.resource_account.trim();
    CaseFacts {
        principal: case.principal.trim().to_string(),
        action: case.action.trim().to_string(),
        resource: case.resource.trim().to_string(),
        resource_account: (!resource_account.is_empty()).then(|| resource_account.to_string()),
        source_vpce: case
            .context
            .iter()
            .find(|r| r.key.eq_ignore_ascii_case("aws:SourceVpce"))
            .and_then(|r| r.values.first().cloned()),
    }
}

/// The policy AWS named for this layer, when its message named one.
fn named_policy(case: &Case, layer: Layer) -> Option<String> {
    let o = case.observed.as_ref()?;
    if o.get("layer")?.as_str()? != layer.name() {
        return None;
    }
    let arn = o.get("policy_arn")?.as_str()?;
    Some(
        commands::organizations_policy_id(arn)
            .unwrap_or(arn)
            .to_string(),
    )
}

/// The shell command that prints the layer's policies. The SCP and RCP commands walk the whole
/// chain of parents (or fetch the policy AWS named), so every level shows the same command.
pub fn command(case: &Case, layer: Layer, _level: Option<(usize, usize)>) -> String {
    commands::layer_command(&facts(case), layer, named_policy(case, layer).as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_name_the_principal_and_resource() {
        let mut c = Case::starter();
        c.principal = "arn:aws:sts::111122223333:assumed-role/Deployer/ci".into();
        assert!(command(&c, Layer::Identity, None).contains("RoleName==`\"Deployer\"`"));
        assert!(command(&c, Layer::Resource, None)
            .contains("get-bucket-policy --bucket amzn-s3-demo-bucket"));
        assert!(command(&c, Layer::Scp, Some((1, 2))).contains("t=111122223333;"));
    }
}
