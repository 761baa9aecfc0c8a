//! Finding and reading scenario files: a file, a directory searched recursively for `*.json`
//! (in name order), or `-` for stdin.

use iamtrace_engine::scenario::Scenario;
use std::io::Read;
use std::path::Path;

/// Why a scenario could not be read; line and column when the text itself is at fault.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl LoadError {
    fn io(message: String) -> Self {
        LoadError {
            message,
            line: None,
            column: None,
        }
    }
}

/// The files a PATH argument stands for.
pub fn expand(path: &str) -> Result<Vec<String>, LoadError> {
    if path == "-" {
        return Ok(vec!["-".into()]);
    }
    let p = Path::new(path);
    let meta =
        std::fs::metadata(p).map_err(|e| LoadError::io(format!("cannot read {path}: {e}")))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_string()]);
    }
    let mut out = Vec::new();
    walk(p, &mut out, 0)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<String>, depth: usize) -> Result<(), LoadError> {
    // Symlink loops and absurdly deep trees end here.
    if depth > 32 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| LoadError::io(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, out, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// The text of a file, or of stdin for `-`. Bytes that are not UTF-8 are an error with their byte
/// offset, line and column.
pub fn read_text(file: &str) -> Result<String, LoadError> {
    let bytes = if file == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| LoadError::io(format!("cannot read stdin: {e}")))?;
        b
    } else {
        std::fs::read(file).map_err(|e| LoadError::io(format!("cannot read {file}: {e}")))?
    };
    match iamtrace_engine::policy::json::text_from_bytes(&bytes) {
        Ok(t) => Ok(t.to_string()),
        Err(e) => Err(LoadError {
            message: e.message,
            line: Some(e.span.line),
            column: Some(e.span.column),
        }),
    }
}

/// A scenario read from a file, with the reader's warnings and notes as text.
pub struct LoadedScenario {
    pub scenario: Scenario,
    /// The file's text, to place errors found while deciding.
    pub text: String,
    pub warnings: Vec<String>,
    /// "line 12: Read the policy document from the output of aws s3api get-bucket-policy."
    pub notes: Vec<String>,
}

/// Reads one scenario, with the reader's warnings and notes as text.
pub fn load(file: &str) -> Result<LoadedScenario, LoadError> {
    let text = read_text(file)?;
    let lines = |v: &[iamtrace_engine::scenario::ScenarioError]| {
        v.iter()
            .map(|w| format!("line {}: {}", w.span.line, w.message))
            .collect()
    };
    match Scenario::parse(&text) {
        Ok(p) => Ok(LoadedScenario {
            text: text.clone(),
            warnings: lines(&p.warnings),
            notes: lines(&p.notes),
            scenario: p.scenario,
        }),
        Err(e) => Err(LoadError {
            message: e.message,
            line: Some(e.span.line),
            column: Some(e.span.column),
        }),
    }
}

/// Evaluates a loaded scenario; request errors get their line and column in the file.
pub fn evaluate(loaded: &LoadedScenario) -> iamtrace_engine::decision::Evaluation {
    let mut e = iamtrace_engine::decision::evaluate(&loaded.scenario);
    for x in e.errors.iter_mut().filter(|x| x.line.is_none()) {
        if let Some(span) = iamtrace_engine::scenario::locate(&loaded.text, &x.place) {
            x.line = Some(span.line);
            x.column = Some(span.column);
        }
    }
    e
}
