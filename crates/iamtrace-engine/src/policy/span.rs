//! Source positions, so that every finding and every trace entry can point at the text the user typed.

use serde::{Deserialize, Serialize};

/// A region of source text: byte offsets `[start, end)` plus the 1-based line and column of `start`.
///
/// Columns count Unicode scalar values (characters), which is what an editor shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

impl Span {
    /// Shifts a span found inside an embedded document (a policy given as a JSON string) so that
    /// it is relative to the outer text. `base` is where the embedded text starts.
    pub fn offset_by(self, base: Span) -> Span {
        Span {
            start: self.start + base.start,
            end: self.end + base.start,
            line: self.line + base.line - 1,
            column: if self.line == 1 {
                self.column + base.column - 1
            } else {
                self.column
            },
        }
    }
}

/// A value together with the span of source text it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}
