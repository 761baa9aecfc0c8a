//! Importers: turn what a user has (decoded message, error text, CloudTrail event…) into a scenario.
