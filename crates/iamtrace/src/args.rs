//! The command line, declared with `clap`'s derive API.
//!
//! Adding a subcommand is one variant of [`Command`] (its doc comment is its help) with its
//! arguments struct, and one handler arm in `main`.

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
PATH is a scenario file, a directory (searched recursively for *.json) or - for stdin.

Exit codes: 0 all allowed (eval) / all passed (check); 1 a denial or an undecided result (eval) / \
a mismatch or an undecided result (check); 2 an input or usage error.";

/// Explains AWS AccessDenied decisions offline: evaluates scenarios the way AWS decides, and
/// imports AWS artefacts into scenarios.
#[derive(Debug, Parser)]
#[command(
    name = "iamtrace",
    version,
    after_help = AFTER_HELP,
    subcommand_value_name = "COMMAND",
    max_term_width = 100
)]
pub struct Cli {
    /// The subcommand; none prints the help.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// One subcommand and its arguments.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decide each scenario and print its trace (gates, deciding statements, AWS message).
    #[command(after_help = AFTER_HELP)]
    Eval(Report),
    /// Compare scenarios that carry "expect" with the engine; ends with "N passed, N failed".
    #[command(after_help = AFTER_HELP)]
    Check(Report),
    /// Turn AWS artefacts into one scenario, printed on stdout.
    ///
    /// Reads a decoded authorization message, AccessDenied text, a CloudTrail event, Access
    /// Troubleshooter or get-account-authorization-details output, raw AWS CLI policy output or
    /// collect output. Several PATHs add up to one case (read for the first one's principal).
    Import(Import),
    /// Print a shell snippet of read-only AWS CLI calls that fetches every policy of a case.
    ///
    /// The case is a scenario or any artefact import reads; the snippet prints one JSON object
    /// that import reads (`iamtrace import error.txt collected.json`).
    Collect(Collect),
    /// Propose what to change so that a denied scenario is allowed, best first, each verified.
    ///
    /// Each suggestion is applied to a copy of the case and evaluated again (allowed, nothing
    /// else changed). `--format json` prints one JSON line per suggestion.
    #[command(
        after_help = "Exit codes: 0 suggestions found; 1 none (or the case is allowed); 2 an input or usage error."
    )]
    Fix(Fix),
    /// Check policies against AWS's catalog of actions, resource types and condition keys.
    ///
    /// Also reports the policy grammar's findings. Policy files are read as --type; the policies
    /// of scenario files as their layer's type.
    #[command(
        after_help = "Exit codes: 0 no error finding; 1 an error finding; 2 an input or usage error."
    )]
    Lint(Lint),
    /// Replace the case's identifying values by AWS's documentation placeholders before sharing.
    ///
    /// Account, organization, OU, root and policy IDs, principal, session and resource names, IP
    /// addresses (an address inside a range stays inside the rewritten range), VPC and endpoint
    /// IDs, external IDs and tag values are replaced consistently everywhere, and the redacted
    /// case is verified to decide as the original (same decision, layer and statement outcomes).
    /// The redacted scenario goes to stdout; what was replaced or kept, and why, to stderr.
    #[command(
        after_help = "Exit codes: 0 redacted and verified; 1 not verified (nothing replaced); 2 an input or usage error."
    )]
    Redact(Redact),
    /// What can this principal do here? Decide every action of a service (or of AWS's whole
    /// catalog) for the scenario's principal, resource and context.
    ///
    /// Each action is decided on the resource AWS authorizes it on: the scenario's resource when
    /// it is of one of the action's resource types, * for actions without resource-level
    /// permissions; the others are not applicable to this resource. Prints one line per action
    /// (action, access level, decision, denied by), then a summary with the counts and the time.
    #[command(
        after_help = "Exit codes: 0 the actions were decided; 2 an input or usage error (such as an unknown service)."
    )]
    Actions(Actions),
    /// Print a shell completion script, e.g. `iamtrace completions bash > ~/.iamtrace.bash`.
    Completions(Completions),
}

/// Arguments of `redact`.
#[derive(Debug, Args)]
pub struct Redact {
    /// A scenario file, or - for stdin.
    #[arg(value_name = "FILE")]
    pub path: String,
}

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub struct Lint {
    /// Readable text, one JSON object per policy, or SARIF 2.1.0 for code-scanning tools.
    #[arg(short, long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    /// The policy type of policy files (scenario files give each policy its layer's type).
    #[arg(long = "type", value_enum, default_value_t = LintType::Identity, value_name = "T")]
    pub policy_type: LintType,
    /// Policy or scenario files, directories (searched for *.json) or - for stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,
}

/// `lint --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Sarif,
}

/// `lint --type`: the policy types a policy file can be read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintType {
    Identity,
    Resource,
    #[value(name = "permissions_boundary")]
    PermissionsBoundary,
    Scp,
    Rcp,
    Session,
    #[value(name = "vpc_endpoint")]
    VpcEndpoint,
    #[value(alias = "trust_policy")]
    Trust,
}

impl LintType {
    /// The engine's policy type.
    pub fn policy_type(self) -> iamtrace_engine::policy::PolicyType {
        use iamtrace_engine::policy::PolicyType as T;
        match self {
            LintType::Identity => T::Identity,
            LintType::Resource => T::Resource,
            LintType::PermissionsBoundary => T::PermissionsBoundary,
            LintType::Scp => T::Scp,
            LintType::Rcp => T::Rcp,
            LintType::Session => T::Session,
            LintType::VpcEndpoint => T::VpcEndpoint,
            LintType::Trust => T::TrustPolicy,
        }
    }
}

/// Arguments of `actions`.
#[derive(Debug, Args)]
pub struct Actions {
    #[command(flatten)]
    pub output: Output,
    /// Only the actions of this service (its prefix, such as s3 or kms); all services when
    /// absent.
    #[arg(short, long, value_name = "PREFIX")]
    pub service: Option<String>,
    /// A scenario file, or - for stdin.
    #[arg(value_name = "FILE")]
    pub path: String,
}

/// Arguments of `fix`.
#[derive(Debug, Args)]
pub struct Fix {
    #[command(flatten)]
    pub output: Output,
    /// A scenario file, or - for stdin.
    #[arg(value_name = "FILE")]
    pub path: String,
}

/// Arguments of `eval` and `check`.
#[derive(Debug, Args)]
pub struct Report {
    #[command(flatten)]
    pub output: Output,
    /// Scenario files, directories (searched for *.json) or - for stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,
}

/// How results are printed.
#[derive(Debug, Args)]
pub struct Output {
    /// Readable text, or one JSON object per line.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Colour the text output: auto colours a terminal that does not set NO_COLOR.
    #[arg(long, visible_alias = "colour", value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct Import {
    /// Artefact files or - for stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,
    /// The caller's ARN, when the artefacts do not name it (e.g. authorization details).
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,
}

/// Arguments of `collect`.
#[derive(Debug, Args)]
pub struct Collect {
    /// The snippet as shell text, or as a JSON object with its notes.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// A scenario or artefact file, or - for stdin.
    #[arg(value_name = "PATH")]
    pub path: String,
    /// The caller's ARN, when the artefact does not name it.
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct Completions {
    /// The shell to write the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Output format: text (readable) or JSON (one object per line for eval and check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// When to colour text output (auto: a terminal that does not set NO_COLOR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn p(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("iamtrace").chain(args.iter().copied()))
    }

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn reads_commands_and_options() {
        let Some(Command::Eval(r)) = p(&["eval", "--format", "json", "a.json", "-"])
            .unwrap()
            .command
        else {
            panic!("eval expected")
        };
        assert_eq!(r.output.format, Format::Json);
        assert_eq!(r.paths, vec!["a.json", "-"]);
        let Some(Command::Import(i)) = p(&["import", "-", "--principal=arn:aws:iam::1:user/x"])
            .unwrap()
            .command
        else {
            panic!("import expected")
        };
        assert_eq!(i.principal.as_deref(), Some("arn:aws:iam::1:user/x"));
        let Some(Command::Check(r)) = p(&["check", "--colour", "never", "--", "-odd.json"])
            .unwrap()
            .command
        else {
            panic!("check expected")
        };
        assert_eq!(r.output.color, Color::Never);
        assert_eq!(r.paths, vec!["-odd.json"]);
        assert!(p(&[]).unwrap().command.is_none());
        assert!(p(&["eval"]).is_err());
        assert!(p(&["eval", "--format", "xml", "a"]).is_err());
        assert!(p(&["frobnicate"]).is_err());
        assert!(p(&["eval", "--principal", "x", "a"]).is_err());
        assert!(p(&["collect", "a", "b"]).is_err());
        assert!(p(&["completions", "tcsh"]).is_err());
        let Some(Command::Actions(a)) = p(&["actions", "--service", "s3", "-f", "json", "c.json"])
            .unwrap()
            .command
        else {
            panic!("actions expected")
        };
        assert_eq!(
            (a.service.as_deref(), a.output.format, a.path.as_str()),
            (Some("s3"), Format::Json, "c.json")
        );
        assert!(p(&["actions"]).is_err());
    }
}
