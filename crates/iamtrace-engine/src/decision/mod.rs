//! The layered decision (§1, §2): explicit deny, RCPs, SCPs, VPC endpoint, resource-based policy,
//! identity policies, permissions boundary, session policies; same-account and cross-account.
