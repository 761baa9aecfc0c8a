//! get-account-authorization-details output.

use super::{Import, ImportError, ImportOptions};
use serde_json::Value;

pub(crate) fn import(_v: &Value, _o: &ImportOptions) -> Result<Import, ImportError> {
    Err(ImportError::new(
        "authorization details import is not implemented yet",
    ))
}
