//! Fuzz target: the policy reader (JSON + grammar + validation) for every policy type.
//!
//! Besides "never panics", it checks what callers rely on: every finding's span lies inside the
//! input on character boundaries, and so do the spans of the elements the model keeps.
#![no_main]

use iamtrace_engine::policy::{parse_policy, PolicyType, Span};
use libfuzzer_sys::fuzz_target;

const TYPES: [PolicyType; 8] = [
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::TrustPolicy,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
    PolicyType::Scp,
    PolicyType::Rcp,
    PolicyType::VpcEndpoint,
];

fn check_span(text: &str, span: Span) {
    assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    assert!(span.line >= 1 && span.column >= 1);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for t in TYPES {
        match parse_policy(text, t) {
            Err(e) => check_span(text, e.span),
            Ok(parsed) => {
                for f in &parsed.findings {
                    check_span(text, f.span);
                    assert!(!f.message.is_empty() && !f.code.is_empty());
                }
                for st in &parsed.policy.statements {
                    check_span(text, st.span);
                    for c in &st.conditions {
                        check_span(text, c.operator.span);
                        check_span(text, c.key.span);
                        for v in &c.values {
                            check_span(text, v.span);
                        }
                    }
                    for p in st.action.iter().flat_map(|a| &a.patterns) {
                        check_span(text, p.span);
                    }
                    for p in st.resource.iter().flat_map(|r| &r.patterns) {
                        check_span(text, p.span);
                    }
                    for e in st.principal.iter().flat_map(|p| &p.entries) {
                        check_span(text, e.value.span);
                    }
                }
            }
        }
    }
});
