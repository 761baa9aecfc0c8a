//! The page's components, one per file.

pub mod collect;
pub mod decision_flow;
pub mod fixes;
pub mod gallery;
pub mod layer_editor;
pub mod paste_box;
pub mod policy_editor;
pub mod redact;
pub mod request_panel;
pub mod share;
pub mod switch;
pub mod trace_view;
pub mod verdict;
