//! Copying text to the clipboard (a local browser operation, no network).

/// Starts copying `text`; returns false when the browser offers no clipboard (the caller then
/// shows the text for manual copying).
pub fn copy(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let clip = w.navigator().clipboard();
    // The promise runs by itself; a refused permission only means the user copies by hand
    // from the field shown.
    drop(clip.write_text(text));
    true
}
