//! In-browser component tests (`wasm-bindgen-test` in headless Chromium): the app mounted into a
//! plain element, without a server or a page load. Run with
//! `cargo test -p iamtrace-web --target wasm32-unknown-unknown --test components`.
#![cfg(target_arch = "wasm32")]

use iamtrace_web::state::{Case, STORAGE_KEY};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Mounts the app into a fresh element and waits (up to 10 s) for the verdict.
async fn mount_and_wait_for_verdict() -> web_sys::HtmlElement {
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), iamtrace_web::app::App);
    std::mem::forget(handle);
    for _ in 0..100 {
        if host
            .query_selector("#verdict[data-decision]")
            .unwrap()
            .is_some()
        {
            return host;
        }
        sleep_ms(100).await;
    }
    panic!("no verdict after 10 s: {}", host.inner_text());
}

#[wasm_bindgen_test]
async fn stored_case_is_restored_and_decided_with_html_shown_as_text() {
    // A case left in local storage by an earlier visit, with hostile text in a policy.
    let mut case = Case::starter();
    let hostile = r#"{"Version":"2012-10-17","Statement":[{"Sid":"X","Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:UserAgent":"<img src=x onerror=alert(1)><script>alert(2)</script>"}}}]}"#;
    case.identity.as_mut().unwrap()[0].text = hostile.to_string();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item(STORAGE_KEY, &case.to_storage()).unwrap();

    let host = mount_and_wait_for_verdict().await;
    let verdict = host.query_selector("#verdict").unwrap().unwrap();
    // The stored policy has no Allow for the read: identity implicitly denies.
    assert_eq!(
        verdict.get_attribute("data-decision").as_deref(),
        Some("implicit_deny")
    );
    assert!(verdict
        .text_content()
        .unwrap()
        .contains("because no identity-based policy allows the s3:GetObject action"));

    // The hostile text is on the page as text; no element was created from it.
    assert!(host
        .text_content()
        .unwrap()
        .contains("<img src=x onerror=alert(1)>"));
    assert_eq!(host.query_selector_all("img").unwrap().length(), 0);
    assert_eq!(host.query_selector_all("script").unwrap().length(), 0);
    host.remove();
}

#[wasm_bindgen_test]
async fn decision_flow_draws_every_gate_as_a_focusable_button() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(STORAGE_KEY).unwrap();
    let host = mount_and_wait_for_verdict().await;
    let gates = host
        .query_selector_all("svg.flow-svg g[data-gate]")
        .unwrap();
    // Same-account request: explicit deny, RCPs, SCPs, VPC endpoint, resource, identity,
    // boundary, session.
    assert!(gates.length() >= 8, "{} gates", gates.length());
    for i in 0..gates.length() {
        let g: web_sys::Element = gates.item(i).unwrap().unchecked_into();
        assert_eq!(g.get_attribute("tabindex").as_deref(), Some("0"));
        assert_eq!(g.get_attribute("role").as_deref(), Some("button"));
        assert!(g.get_attribute("aria-label").is_some_and(|l| !l.is_empty()));
    }
    host.remove();
}
