//! Fuzz target: the permalink decoder.
//!
//! The first byte (modulo 3) picks the mode:
//! - `0`: the rest is link text (any form a user pastes); a link that opens must re-encode to a
//!   link that opens to the same scenario.
//! - `1`: the rest is a scenario file; whatever reads must survive encode → decode with the same decision, and reopen
//!   identically
//!   every form a user pastes (`#s=…`, bare data, inside a URL with other fragment parameters).
//! - `2`: a real link is damaged: the rest is (position, xor) byte pairs applied to its packed
//!   bytes, an odd last byte cuts it short. This reaches the inflater and the checksum with
//!   streams that are almost valid, which random text never does.
#![no_main]

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use iamtrace_engine::decision::evaluate;
use iamtrace_engine::scenario::Scenario;
use iamtrace_engine::sharing::{decode, encode, ShareError, MAX_LINK_CHARS};
use libfuzzer_sys::fuzz_target;

const BASE: &str = r#"{"title":"t","request":{"principal":"arn:aws:iam::111122223333:user/ana","action":"s3:GetObject","resource":"arn:aws:s3:::amzn-s3-demo-bucket/k","context":{"aws:SourceIp":"192.0.2.1"}},
"policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}],
"resource":{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","NotAction":"s3:Get*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}}}"#;

fn check_error(e: &ShareError) {
    assert!(!e.to_string().is_empty() && !e.kind().is_empty());
}

fn opens_the_same(s: &Scenario) {
    let link = encode(s);
    assert!(link
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.=&".contains(&b)));
    if link.len() > MAX_LINK_CHARS {
        return;
    }
    let data = link.trim_start_matches("s=");
    // The link may store a document's text more compactly (a policy kept as text because of a
    // duplicate member loses its indentation), so the decision must survive, and a second round
    // trip must change nothing.
    let first = decode(&link).unwrap_or_else(|e| panic!("{link}: {e}"));
    let (before, after) = (evaluate(s), evaluate(&first));
    assert_eq!(
        (before.decision, before.denied_by),
        (after.decision, after.denied_by)
    );
    for form in [
        link.clone(),
        format!("#{link}"),
        data.to_string(),
        format!("https://iamtrace.example/?x=1#theme=dark&{link}"),
    ] {
        let back = decode(&form).unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(back.to_json(), first.to_json());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            let Ok(text) = std::str::from_utf8(rest) else {
                return;
            };
            match decode(text) {
                Ok(s) => {
                    common::check_scenario(&s);
                    opens_the_same(&s);
                }
                Err(e) => check_error(&e),
            }
        }
        1 => {
            let Ok(text) = std::str::from_utf8(rest) else {
                return;
            };
            if let Ok(p) = Scenario::parse(text) {
                opens_the_same(&p.scenario);
            }
        }
        _ => {
            let Ok(base) = Scenario::parse(BASE) else {
                return;
            };
            let link = encode(&base.scenario);
            let Ok(mut packed) = URL_SAFE_NO_PAD.decode(link.trim_start_matches("s=v1.")) else {
                return;
            };
            for pair in rest.chunks(2) {
                if packed.is_empty() {
                    break;
                }
                match *pair {
                    [pos, x] => {
                        let i = pos as usize % packed.len();
                        packed[i] ^= x;
                    }
                    [cut] => packed.truncate(cut as usize % packed.len()),
                    _ => {}
                }
            }
            match decode(&format!("s=v1.{}", URL_SAFE_NO_PAD.encode(&packed))) {
                Ok(s) => {
                    common::check_scenario(&s);
                }
                Err(e) => check_error(&e),
            }
        }
    }
});
