//! A small hand-written argument parser (three subcommands, four options: no dependency needed).

pub const USAGE: &str = "\
usage: iamtrace eval  [--format text|json] [--color auto|always|never] PATH...
       iamtrace check [--format text|json] [--color auto|always|never] PATH...
       iamtrace import PATH|-... [--principal ARN]
       iamtrace collect [--format text|json] PATH|-
       iamtrace redact FILE|-

  eval    decide each scenario and print its trace (gates, deciding statements, AWS message)
  check   compare scenarios that carry \"expect\" with the engine; ends with \"N passed, N failed\"
  import  turn a decoded authorization message, AccessDenied text, CloudTrail event, Access
          Troubleshooter or get-account-authorization-details output, raw AWS CLI policy
          output or collect output into a scenario (stdout); several PATHs add up to one case
  collect print a shell snippet (read-only AWS CLI calls) that fetches every policy of the case
          in PATH (a scenario or any artefact import reads) as one JSON object that import reads
  redact  replace the case's account IDs, names, IPs and other identifying values by AWS's
          documentation placeholders, verified to decide the same: the redacted scenario to
          stdout, what was replaced or kept (and why) to stderr

PATH is a scenario file, a directory (searched recursively for *.json) or - for stdin.
Exit codes: 0 all allowed (eval) / all passed (check); 1 a denial or undecided result / a mismatch or undecided result; 2 an input error.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Eval,
    Check,
    Import,
    Collect,
    Redact,
    Help,
    Version,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub command: Command,
    pub format: Format,
    pub color: Color,
    pub principal: Option<String>,
    pub paths: Vec<String>,
}

pub fn parse(argv: &[String]) -> Result<Options, String> {
    let mut it = argv.iter();
    let command = match it.next().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => Command::Help,
        Some("-V" | "--version") => Command::Version,
        Some("eval") => Command::Eval,
        Some("check") => Command::Check,
        Some("import") => Command::Import,
        Some("collect") => Command::Collect,
        Some("redact") => Command::Redact,
        Some(other) => return Err(format!("unknown command '{other}'")),
    };
    let mut o = Options {
        command,
        format: Format::Text,
        color: Color::Auto,
        principal: None,
        paths: Vec::new(),
    };
    let mut only_paths = false;
    while let Some(a) = it.next() {
        if only_paths || a == "-" || !a.starts_with('-') {
            o.paths.push(a.clone());
            continue;
        }
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name {
            "--" => only_paths = true,
            "-h" | "--help" => o.command = Command::Help,
            "--format" | "-f" => {
                o.format = match value(name)?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    v => return Err(format!("--format takes text or json, not '{v}'")),
                }
            }
            "--color" | "--colour" => {
                o.color = match value(name)?.as_str() {
                    "auto" => Color::Auto,
                    "always" => Color::Always,
                    "never" => Color::Never,
                    v => return Err(format!("--color takes auto, always or never, not '{v}'")),
                }
            }
            "--principal" if matches!(o.command, Command::Import | Command::Collect) => {
                o.principal = Some(value(name)?)
            }
            _ => return Err(format!("unknown option '{a}'")),
        }
    }
    if matches!(
        o.command,
        Command::Eval | Command::Check | Command::Import | Command::Collect | Command::Redact
    ) && o.paths.is_empty()
    {
        return Err("give at least one PATH (a file, a directory, or - for stdin)".into());
    }
    if o.command == Command::Redact && o.paths.len() > 1 {
        return Err("redact reads one FILE (or - for stdin)".into());
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Options, String> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn reads_commands_and_options() {
        let o = p(&["eval", "--format", "json", "a.json", "-"]).unwrap();
        assert_eq!(o.command, Command::Eval);
        assert_eq!(o.format, Format::Json);
        assert_eq!(o.paths, vec!["a.json", "-"]);
        let o = p(&["import", "-", "--principal=arn:aws:iam::1:user/x"]).unwrap();
        assert_eq!(o.principal.as_deref(), Some("arn:aws:iam::1:user/x"));
        assert!(p(&["eval"]).is_err());
        assert!(p(&["eval", "--format", "xml", "a"]).is_err());
        assert!(p(&["frobnicate"]).is_err());
        assert!(p(&["eval", "--principal", "x", "a"]).is_err());
    }
}
