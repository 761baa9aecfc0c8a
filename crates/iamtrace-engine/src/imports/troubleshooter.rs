//! Access Troubleshooter output.

use super::{Import, ImportError};
use serde_json::Value;

pub(crate) fn import(_v: &Value) -> Result<Import, ImportError> {
    Err(ImportError::new(
        "Access Troubleshooter import is not implemented yet",
    ))
}
