//! CloudTrail events.

use super::{Import, ImportError, ImportOptions};
use serde_json::Value;

pub(crate) fn is_record(v: &Value) -> bool {
    v.get("eventSource").is_some_and(Value::is_string)
        && v.get("eventName").is_some_and(Value::is_string)
}

pub(crate) fn is_lookup_events(v: &Value) -> bool {
    v.get("Events").is_some_and(Value::is_array)
}

pub(crate) fn import(_v: &Value, _o: &ImportOptions) -> Result<Import, ImportError> {
    Err(ImportError::new("CloudTrail import is not implemented yet"))
}

pub(crate) fn import_records(_v: &[Value], _o: &ImportOptions) -> Result<Import, ImportError> {
    Err(ImportError::new("CloudTrail import is not implemented yet"))
}
