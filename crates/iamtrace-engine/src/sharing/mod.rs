//! Permalinks: the whole scenario, compressed and versioned, in a URL fragment.
