//! Prints the permalink length of each scenario file given (or of `examples/*.json`):
//! `cargo run -p iamtrace-engine --example permalink_lengths [--print] [FILE…]`
//! (`--print` also prints each link).

use iamtrace_engine::scenario::Scenario;
use iamtrace_engine::sharing;
use std::path::PathBuf;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let print = args.first().is_some_and(|a| a == "--print");
    if print {
        args.remove(0);
    }
    let mut files: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    if files.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
        files = std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "json"));
        files.sort();
    }
    println!(
        "{:>6} {:>8} {:>8} {:>8}  file",
        "link", "no-dict", "json", "compact"
    );
    let mut total = 0;
    for path in &files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                continue;
            }
        };
        match Scenario::parse(&text) {
            Ok(p) => {
                // The length of `#s=v1.…`, as it follows the page address.
                let fragment = sharing::encode(&p.scenario);
                if print {
                    println!("#{fragment}");
                }
                let link = 1 + fragment.len();
                total += link;
                let compact = sharing::compact_json(&p.scenario);
                // What plain DEFLATE (no preset dictionary) plus the checksum would give.
                let plain = miniz_oxide::deflate::compress_to_vec(compact.as_bytes(), 10).len() + 4;
                let no_dict = "#s=v1.".len() + (plain * 4).div_ceil(3);
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                println!(
                    "{link:>6} {no_dict:>8} {:>8} {:>8}  {name}",
                    text.len(),
                    compact.len()
                );
            }
            Err(e) => eprintln!("{}: {e}", path.display()),
        }
    }
    if !files.is_empty() {
        println!("mean link length: {}", total / files.len());
    }
}
