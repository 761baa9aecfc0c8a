//! Behaviour of each operator family, the missing-key table (§3.12), negated operators, set
//! qualifiers (§3.11), IfExists (§3.10) and variables (§3.13).

use super::*;
use crate::explain::{Applies, ConditionTrace};
use crate::policy::{ConditionEntry, Span, Spanned};
use crate::request::{ContextMap, ContextValue};

fn s(v: &str) -> Spanned<String> {
    Spanned::new(v.to_string(), Span::default())
}

fn run(op: &str, key: &str, values: &[&str], ctx: &ContextMap, vars: bool) -> ConditionTrace {
    let entry = ConditionEntry {
        operator: s(op),
        key: s(key),
        values: values.iter().map(|v| s(v)).collect(),
        span: Span::default(),
    };
    evaluate_condition(&entry, vars, ctx, &mut Vec::new())
}

fn ctx(pairs: &[(&str, &str)]) -> ContextMap {
    let mut c = ContextMap::new();
    for (k, v) in pairs {
        c.insert_given(k, ContextValue::Single(v.to_string()));
    }
    c
}

fn multi(key: &str, values: &[&str]) -> ContextMap {
    let mut c = ContextMap::new();
    c.insert_given(
        key,
        ContextValue::Multi(values.iter().map(|v| v.to_string()).collect()),
    );
    c
}

/// The outcome with a one-key context.
fn eval(op: &str, key: &str, values: &[&str], request: Option<&str>) -> Applies {
    let c = match request {
        Some(v) => ctx(&[(key, v)]),
        None => ContextMap::new(),
    };
    run(op, key, values, &c, true).outcome
}

use Applies::{No, Unknown, Yes};

#[test]
fn strings_and_case_rules() {
    assert_eq!(
        eval("StringEquals", "aws:username", &["ana"], Some("ana")),
        Yes
    );
    assert_eq!(
        eval("StringEquals", "aws:username", &["Ana"], Some("ana")),
        No
    );
    assert_eq!(
        eval("StringEquals", "aws:username", &["an*"], Some("ana")),
        No,
        "* is literal"
    );
    assert_eq!(
        eval("StringEquals", "aws:username", &["an*"], Some("an*")),
        Yes
    );
    assert_eq!(
        eval("StringEqualsIgnoreCase", "k", &["ANA"], Some("ana")),
        Yes
    );
    assert_eq!(
        eval("StringEqualsIgnoreCase", "k", &["ÉTÉ"], Some("été")),
        Yes
    );
    assert_eq!(
        eval("StringNotEqualsIgnoreCase", "k", &["ANA"], Some("ana")),
        No
    );
    assert_eq!(
        eval("StringLike", "k", &["home/*/x?"], Some("home/a/b/x1")),
        Yes
    );
    assert_eq!(eval("StringLike", "k", &["Home/*"], Some("home/a")), No);
    assert_eq!(eval("StringNotLike", "k", &["home/*"], Some("tmp/a")), Yes);
    // Key names are case-insensitive, values are not.
    let c = ctx(&[("aws:PrincipalTag/Team", "Blue")]);
    assert_eq!(
        run("StringEquals", "AWS:principaltag/TEAM", &["Blue"], &c, true).outcome,
        Yes
    );
    assert_eq!(
        run("StringEquals", "aws:PrincipalTag/team", &["blue"], &c, true).outcome,
        No
    );
}

#[test]
fn missing_key_table() {
    // §3.12: positive → false, negated → true, IfExists → true; Null true/false.
    for op in [
        "StringEquals",
        "StringLike",
        "StringEqualsIgnoreCase",
        "NumericEquals",
        "NumericLessThan",
        "DateEquals",
        "DateGreaterThan",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "ArnEquals",
        "ArnLike",
    ] {
        let v = match op {
            "NumericEquals" | "NumericLessThan" => "1",
            "DateEquals" | "DateGreaterThan" => "2020-01-01T00:00:00Z",
            "Bool" => "true",
            "BinaryEquals" => "QmluYXJ5",
            "IpAddress" => "10.0.0.0/8",
            "ArnEquals" | "ArnLike" => "arn:aws:s3:::b",
            _ => "x",
        };
        assert_eq!(eval(op, "k", &[v], None), No, "{op}");
        assert_eq!(
            eval(&format!("{op}IfExists"), "k", &[v], None),
            Yes,
            "{op}IfExists"
        );
    }
    for (op, v) in [
        ("StringNotEquals", "x"),
        ("StringNotEqualsIgnoreCase", "x"),
        ("StringNotLike", "x*"),
        ("NumericNotEquals", "1"),
        ("DateNotEquals", "2020-01-01"),
        ("NotIpAddress", "10.0.0.0/8"),
        ("ArnNotEquals", "arn:aws:s3:::b"),
        ("ArnNotLike", "arn:aws:s3:::*"),
    ] {
        assert_eq!(eval(op, "k", &[v], None), Yes, "{op}");
        assert_eq!(
            eval(&format!("{op}IfExists"), "k", &[v], None),
            Yes,
            "{op}IfExists"
        );
        let t = run(op, "k", &[v], &ContextMap::new(), true);
        assert!(
            t.key_missing && t.reason.contains("negated"),
            "{}",
            t.reason
        );
    }
    assert_eq!(eval("Null", "k", &["true"], None), Yes);
    assert_eq!(eval("Null", "k", &["false"], None), No);
    assert_eq!(eval("Null", "k", &["true"], Some("v")), No);
    assert_eq!(eval("Null", "k", &["false"], Some("v")), Yes);
    assert_eq!(eval("Null", "k", &["maybe"], Some("v")), Unknown);
}

#[test]
fn if_exists_with_key_present_uses_the_base_operator() {
    assert_eq!(eval("StringEqualsIfExists", "k", &["a"], Some("b")), No);
    assert_eq!(eval("StringNotEqualsIfExists", "k", &["a"], Some("a")), No);
    assert_eq!(
        eval(
            "BoolIfExists",
            "aws:MultiFactorAuthPresent",
            &["false"],
            Some("false")
        ),
        Yes
    );
    let t = run("StringLikeIfExists", "k", &["a"], &ContextMap::new(), true);
    assert!(t.reason.contains("IfExists"));
}

#[test]
fn negated_operators_are_nor_over_values() {
    // "works like a logical AND" (§3.8).
    assert_eq!(eval("StringNotEquals", "k", &["a", "b"], Some("c")), Yes);
    assert_eq!(eval("StringNotEquals", "k", &["a", "b"], Some("b")), No);
    assert_eq!(eval("StringEquals", "k", &["a", "b"], Some("b")), Yes);
    assert_eq!(
        eval(
            "NotIpAddress",
            "aws:SourceIp",
            &["10.0.0.0/8", "192.0.2.0/24"],
            Some("192.0.2.7")
        ),
        No
    );
    assert_eq!(
        eval(
            "NotIpAddress",
            "aws:SourceIp",
            &["10.0.0.0/8", "192.0.2.0/24"],
            Some("198.51.100.1")
        ),
        Yes
    );
}

#[test]
fn set_qualifiers_table() {
    let tags = |v: &[&str]| multi("aws:TagKeys", v);
    let op = |q: &str, c: &ContextMap, p: &[&str]| run(q, "aws:TagKeys", p, c, true).outcome;
    let allowed = ["env", "team"];
    // ForAllValues: every request value in P; empty or absent → true.
    assert_eq!(
        op("ForAllValues:StringEquals", &tags(&["env"]), &allowed),
        Yes
    );
    assert_eq!(
        op(
            "ForAllValues:StringEquals",
            &tags(&["env", "cost"]),
            &allowed
        ),
        No
    );
    assert_eq!(op("ForAllValues:StringEquals", &tags(&[]), &allowed), Yes);
    assert_eq!(
        op("ForAllValues:StringEquals", &ContextMap::new(), &allowed),
        Yes
    );
    // ForAnyValue: at least one; empty or absent → false.
    assert_eq!(
        op(
            "ForAnyValue:StringEquals",
            &tags(&["cost", "env"]),
            &allowed
        ),
        Yes
    );
    assert_eq!(
        op("ForAnyValue:StringEquals", &tags(&["cost"]), &allowed),
        No
    );
    assert_eq!(op("ForAnyValue:StringEquals", &tags(&[]), &allowed), No);
    assert_eq!(
        op("ForAnyValue:StringEquals", &ContextMap::new(), &allowed),
        No
    );
    assert_eq!(
        op(
            "ForAnyValue:StringEqualsIfExists",
            &ContextMap::new(),
            &allowed
        ),
        Yes
    );
    // Negated under a qualifier: op1(c) = c matches no p.
    assert_eq!(
        op(
            "ForAllValues:StringNotLike",
            &tags(&["key1a", "other"]),
            &["key1*"]
        ),
        No
    );
    assert_eq!(
        op("ForAllValues:StringNotLike", &tags(&["x", "y"]), &["key1*"]),
        Yes
    );
    assert_eq!(
        op("ForAllValues:StringNotLike", &ContextMap::new(), &["key1*"]),
        Yes
    );
    assert_eq!(
        op(
            "ForAnyValue:StringNotEquals",
            &tags(&["env", "cost"]),
            &allowed
        ),
        Yes
    );
    assert_eq!(
        op("ForAnyValue:StringNotEquals", &tags(&["env"]), &allowed),
        No
    );
    // Null under qualifiers (§3.9).
    assert_eq!(op("ForAllValues:Null", &tags(&["a"]), &["true"]), Yes);
    assert_eq!(op("ForAnyValue:Null", &ContextMap::new(), &["true"]), No);
    // A multivalued key without a qualifier (§8-Q18): any for positive, none for negated.
    let mut a = Vec::new();
    let e = ConditionEntry {
        operator: s("StringEquals"),
        key: s("aws:TagKeys"),
        values: vec![s("env")],
        span: Span::default(),
    };
    assert_eq!(
        evaluate_condition(&e, true, &tags(&["x", "env"]), &mut a).outcome,
        Yes
    );
    assert!(a.iter().any(|x| x == ASSUME_MULTI_NO_QUALIFIER));
    assert_eq!(op("StringNotEquals", &tags(&["x", "env"]), &["env"]), No);
}

#[test]
fn empty_value_lists_match_nothing() {
    let mut a = Vec::new();
    let e = ConditionEntry {
        operator: s("StringNotEquals"),
        key: s("k"),
        values: vec![],
        span: Span::default(),
    };
    assert_eq!(
        evaluate_condition(&e, true, &ctx(&[("k", "v")]), &mut a).outcome,
        No
    );
    assert!(a.iter().any(|x| x == ASSUME_EMPTY_VALUES));
    assert_eq!(
        run(
            "ForAllValues:StringEquals",
            "k",
            &[],
            &ContextMap::new(),
            true
        )
        .outcome,
        Yes
    );
    assert_eq!(
        run("StringEqualsIfExists", "k", &[], &ContextMap::new(), true).outcome,
        Yes
    );
    assert_eq!(
        run("StringNotEquals", "k", &[], &ContextMap::new(), true).outcome,
        No
    );
}

#[test]
fn numbers() {
    assert_eq!(
        eval("NumericLessThan", "s3:max-keys", &["10"], Some("9")),
        Yes
    );
    assert_eq!(
        eval("NumericLessThan", "s3:max-keys", &["10"], Some("10")),
        No
    );
    assert_eq!(
        eval("NumericLessThanEquals", "k", &["10"], Some("10.0")),
        Yes
    );
    assert_eq!(eval("NumericGreaterThan", "k", &["-1.5"], Some("-1")), Yes);
    assert_eq!(
        eval("NumericGreaterThanEquals", "k", &["3600"], Some("3599")),
        No
    );
    assert_eq!(eval("NumericEquals", "k", &["5"], Some("05")), Yes);
    assert_eq!(eval("NumericNotEquals", "k", &["5"], Some("6")), Yes);
    // A request value that is not a number matches nothing.
    assert_eq!(eval("NumericEquals", "k", &["5"], Some("five")), No);
    assert_eq!(eval("NumericNotEquals", "k", &["5"], Some("five")), Yes);
    // A malformed policy value cannot be evaluated.
    assert_eq!(eval("NumericEquals", "k", &["five"], Some("5")), Unknown);
}

#[test]
fn dates() {
    let now = "2026-11-28T05:00:00Z";
    assert_eq!(
        eval(
            "DateGreaterThan",
            "aws:CurrentTime",
            &["2026-01-01T00:00:00Z"],
            Some(now)
        ),
        Yes
    );
    assert_eq!(
        eval(
            "DateLessThan",
            "aws:CurrentTime",
            &["2026-11-28"],
            Some(now)
        ),
        No
    );
    assert_eq!(
        eval(
            "DateLessThan",
            "aws:CurrentTime",
            &["2026-11-29"],
            Some(now)
        ),
        Yes
    );
    assert_eq!(
        eval(
            "DateEquals",
            "aws:CurrentTime",
            &["2026-11-28T06:00:00+01:00"],
            Some(now)
        ),
        Yes
    );
    assert_eq!(
        eval(
            "DateLessThanEquals",
            "aws:EpochTime",
            &["1795842000"],
            Some("1795842000")
        ),
        Yes
    );
    // Epoch seconds against ISO text.
    assert_eq!(
        eval("DateEquals", "aws:CurrentTime", &["1795842000"], Some(now)),
        Yes
    );
    assert_eq!(
        eval("DateEquals", "aws:CurrentTime", &["not a date"], Some(now)),
        Unknown
    );
    let mut a = Vec::new();
    let e = ConditionEntry {
        operator: s("DateGreaterThan"),
        key: s("aws:CurrentTime"),
        values: vec![s("2026-11")],
        span: Span::default(),
    };
    assert_eq!(
        evaluate_condition(&e, true, &ctx(&[("aws:CurrentTime", now)]), &mut a).outcome,
        Yes
    );
    assert!(a.iter().any(|x| x == date::ASSUME_PARTIAL_DATE));
}

#[test]
fn bool_binary_ip_arn() {
    assert_eq!(
        eval("Bool", "aws:SecureTransport", &["true"], Some("TRUE")),
        Yes
    );
    assert_eq!(
        eval("Bool", "aws:SecureTransport", &["False"], Some("false")),
        Yes
    );
    assert_eq!(
        eval("Bool", "aws:SecureTransport", &["true"], Some("false")),
        No
    );
    assert_eq!(
        eval("Bool", "aws:SecureTransport", &["1"], Some("true")),
        No,
        "§8-Q16"
    );
    assert_eq!(
        eval("BinaryEquals", "k", &["QmluYXJ5"], Some("QmluYXJ5")),
        Yes
    );
    assert_eq!(
        eval("BinaryEquals", "k", &["QmluYXJ5"], Some("QmluYXJ6")),
        No
    );
    assert_eq!(
        eval("BinaryEquals", "k", &["not base64!"], Some("QmluYXJ5")),
        Unknown
    );
    assert_eq!(
        eval(
            "IpAddress",
            "aws:SourceIp",
            &["203.0.113.0/24"],
            Some("203.0.113.9")
        ),
        Yes
    );
    assert_eq!(
        eval(
            "IpAddress",
            "aws:SourceIp",
            &["2001:DB8:1234:5678::/64"],
            Some("2001:db8:1234:5678::abcd")
        ),
        Yes
    );
    assert_eq!(
        eval(
            "IpAddress",
            "aws:SourceIp",
            &["203.0.113.0/24", "2001:db8::/32"],
            Some("2001:db8::1")
        ),
        Yes
    );
    assert_eq!(
        eval(
            "IpAddress",
            "aws:SourceIp",
            &["2001:db8::/32"],
            Some("203.0.113.9")
        ),
        No
    );
    assert_eq!(
        eval(
            "IpAddress",
            "aws:SourceIp",
            &["203.0.113.0/40"],
            Some("203.0.113.9")
        ),
        Unknown
    );
    // ARN operators, six fields (§3.9 example).
    let pat = "arn:aws:svc:*:111122223333:finance/*";
    let bad = "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/x";
    assert_eq!(eval("ArnLike", "aws:SourceArn", &[pat], Some(bad)), No);
    assert_eq!(eval("StringLike", "aws:SourceArn", &[pat], Some(bad)), Yes);
    assert_eq!(
        eval(
            "ArnEquals",
            "aws:SourceArn",
            &[pat],
            Some("arn:aws:svc:eu-west-1:111122223333:finance/r")
        ),
        Yes
    );
    assert_eq!(eval("ArnNotLike", "aws:SourceArn", &[pat], Some(bad)), Yes);
    assert_eq!(
        eval("ArnLike", "aws:SourceArn", &[pat], Some("not-an-arn")),
        No
    );
    assert_eq!(
        eval("ArnLike", "aws:SourceArn", &["arn:aws:s3"], Some(bad)),
        Unknown
    );
}

#[test]
fn variables_in_condition_values() {
    let c = ctx(&[
        ("aws:username", "ana"),
        ("aws:PrincipalTag/project", "p*"),
        ("s3:prefix", "home/ana/docs"),
    ]);
    let t = run(
        "StringLike",
        "s3:prefix",
        &["home/${aws:username}/*"],
        &c,
        true,
    );
    assert_eq!(t.outcome, Yes);
    assert_eq!(t.values[0].substituted.as_deref(), Some("home/ana/*"));
    // Substituted text is literal (§8-Q19).
    let c2 = ctx(&[("aws:PrincipalTag/project", "p*"), ("k", "pxyz")]);
    assert_eq!(
        run(
            "StringLike",
            "k",
            &["${aws:PrincipalTag/project}"],
            &c2,
            true
        )
        .outcome,
        No
    );
    // Unresolved: positive false, negated true.
    let t = run(
        "StringEquals",
        "s3:prefix",
        &["${aws:PrincipalTag/none}"],
        &c,
        true,
    );
    assert_eq!(t.outcome, No);
    assert!(t.values[0].unresolved && t.reason.contains("has no value"));
    assert_eq!(
        run(
            "StringNotEquals",
            "s3:prefix",
            &["${aws:PrincipalTag/none}"],
            &c,
            true
        )
        .outcome,
        Yes
    );
    // Default value.
    let c3 = ctx(&[("k", "fallback")]);
    assert_eq!(
        run(
            "StringEquals",
            "k",
            &["${aws:PrincipalTag/none, 'fallback'}"],
            &c3,
            true
        )
        .outcome,
        Yes
    );
    // Literal when variables are off (2008-10-17 / no Version).
    let c4 = ctx(&[("k", "${aws:username}"), ("aws:username", "ana")]);
    assert_eq!(
        run("StringEquals", "k", &["${aws:username}"], &c4, false).outcome,
        Yes
    );
    assert_eq!(
        run("StringEquals", "k", &["${aws:username}"], &c4, true).outcome,
        No
    );
    // Special characters.
    let c5 = ctx(&[("k", "a*")]);
    assert_eq!(run("StringEquals", "k", &["a${*}"], &c5, true).outcome, Yes);
    // Not allowed with Numeric operators; malformed syntax.
    assert_eq!(
        run("NumericEquals", "k", &["${aws:username}"], &c, true).outcome,
        Unknown
    );
    assert_eq!(
        run("StringEquals", "k", &["${aws:username"], &c, true).outcome,
        Unknown
    );
    // ARN operators take variables too.
    let c6 = ctx(&[
        ("aws:SourceAccount", "111122223333"),
        ("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic"),
    ]);
    assert_eq!(
        run(
            "ArnLike",
            "aws:SourceArn",
            &["arn:aws:sns:*:${aws:SourceAccount}:*"],
            &c6,
            true
        )
        .outcome,
        Yes
    );
}

#[test]
fn unknown_operator_is_reported() {
    let t = run(
        "StringEqualsIgnorecase",
        "k",
        &["a"],
        &ctx(&[("k", "a")]),
        true,
    );
    assert_eq!(t.outcome, Unknown);
    assert!(t.reason.contains("cannot evaluate"));
    assert_eq!(
        run("NullIfExists", "k", &["true"], &ContextMap::new(), true).outcome,
        Unknown
    );
}
