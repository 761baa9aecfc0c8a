//! The scenario file: the whole case (request, policies per layer, optional expectation).
