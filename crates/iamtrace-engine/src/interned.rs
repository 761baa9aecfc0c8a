//! Reading back the `&'static str` fields of a serialized result (an element name, a
//! documentation address): each distinct text is stored once for the life of the program, so
//! reading many results does not keep allocating. The texts come from the engine's own
//! constants, so there are few distinct ones.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// `&'static str`, named so that serde does not take the field for text borrowed from the input.
pub type StaticText = &'static str;

static TEXTS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// The stored copy of `text`, storing it on first use.
pub fn intern(text: &str) -> &'static str {
    let mut texts = match TEXTS.lock() {
        Ok(t) => t,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(t) = texts.get(text) {
        return t;
    }
    let stored: &'static str = Box::leak(text.to_owned().into_boxed_str());
    texts.insert(stored);
    stored
}

/// Reads a string field into its stored copy.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let text = std::borrow::Cow::<str>::deserialize(d)?;
    Ok(intern(&text))
}

/// Reads an optional string field into its stored copy.
pub fn deserialize_option<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<&'static str>, D::Error> {
    let text = Option::<std::borrow::Cow<str>>::deserialize(d)?;
    Ok(text.map(|t| intern(&t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_copy_per_text() {
        let a = intern("Action");
        let b = intern(&String::from("Action"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(a, "Action");
    }
}
