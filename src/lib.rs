//! iamtrace-web: the playground page (Leptos, client-side rendered). It calls the engine
//! in-process; nothing leaves the browser.

pub mod app;
pub mod catalog_info;
pub mod cli_hint;
pub mod clipboard;
pub mod components;
pub mod engine;
pub mod evaluator;
pub mod examples;
pub mod format;
pub mod highlight;
pub mod state;
pub mod switch_off;
pub mod text;

/// Mounts the page on `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
