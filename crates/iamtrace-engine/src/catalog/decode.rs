//! Reads the embedded catalog text (format described in `scripts/catalog.mjs`, which writes it).

use super::model::{
    AccessLevel, Action, Catalog, ConditionKey, KeyType, ResourceType, Service, ValueType,
};

/// Why the catalog text could not be read (a regeneration bug; a test decodes the shipped text).
#[derive(Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

fn err<T>(what: impl Into<String>) -> Result<T, DecodeError> {
    Err(DecodeError(what.into()))
}

fn level(code: char) -> Result<AccessLevel, DecodeError> {
    Ok(match code {
        'L' => AccessLevel::List,
        'R' => AccessLevel::Read,
        'W' => AccessLevel::Write,
        'T' => AccessLevel::Tagging,
        'P' => AccessLevel::PermissionsManagement,
        _ => return err(format!("access level code {code}")),
    })
}

fn key_type(code: &str) -> Result<KeyType, DecodeError> {
    let (array, base) = match code.len() {
        2 => (true, code.get(1..).unwrap_or_default()),
        _ => (false, code),
    };
    let value = match base {
        "S" => ValueType::String,
        "A" => ValueType::Arn,
        "B" => ValueType::Bool,
        "N" => ValueType::Numeric,
        "D" => ValueType::Date,
        "I" => ValueType::IpAddress,
        "X" => ValueType::Binary,
        _ => return err(format!("key type code {code}")),
    };
    Ok(KeyType { value, array })
}

/// A key name as a glob when it has a variable part (`${TagKey}`, `<key>`): the variable part
/// becomes `?*` (any non-empty text).
fn key_pattern(name: &str) -> Option<String> {
    if !name.contains("${") && !name.contains('<') {
        return None;
    }
    let mut out = String::new();
    let mut rest = name;
    while let Some(start) = rest.find(['$', '<']) {
        let (close, skip) = if rest[start..].starts_with("${") {
            ('}', 2)
        } else if rest[start..].starts_with('<') {
            ('>', 1)
        } else {
            out.push_str(&rest[..=start]);
            rest = &rest[start + 1..];
            continue;
        };
        match rest[start + skip..].find(close) {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push_str("?*");
                rest = &rest[start + skip + end + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    Some(out)
}

fn condition_key(entry: &str, prefix: Option<&str>) -> Result<ConditionKey, DecodeError> {
    let Some((name, code)) = entry.split_once(' ') else {
        return err(format!("condition key {entry}"));
    };
    let name = match (prefix, name.strip_prefix(':')) {
        (Some(p), Some(rest)) => format!("{p}:{rest}"),
        _ => name.to_string(),
    };
    Ok(ConditionKey {
        pattern: key_pattern(&name),
        key_type: key_type(code)?,
        name,
    })
}

fn numbers(list: &str, limit: usize) -> Result<Vec<u16>, DecodeError> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    list.split(',')
        .map(|n| match n.parse::<u16>() {
            Ok(v) if (v as usize) < limit => Ok(v),
            _ => err(format!("number {n} (of {limit})")),
        })
        .collect()
}

fn arn_format(text: &str, prefix: &str) -> String {
    if let Some(rest) = text.strip_prefix('~') {
        format!("arn:${{Partition}}:{prefix}:${{Region}}:${{Account}}:{rest}")
    } else if let Some(rest) = text.strip_prefix('^') {
        format!("arn:${{Partition}}:{prefix}::${{Account}}:{rest}")
    } else if let Some(rest) = text.strip_prefix('!') {
        format!("arn:${{Partition}}:{prefix}:::{rest}")
    } else {
        text.to_string()
    }
}

/// The rows of one per-service section (`K`, `R`…), one per service.
fn section<'a>(
    lines: &mut std::iter::Peekable<std::str::Lines<'a>>,
    letter: &str,
    count: usize,
) -> Result<Vec<&'a str>, DecodeError> {
    let mut rows = Vec::with_capacity(count);
    for _ in 0..count {
        match lines.next().and_then(|l| l.split_once('\t')) {
            Some((l, row)) if l == letter => rows.push(row),
            _ => return err(format!("section {letter} ends after {} rows", rows.len())),
        }
    }
    Ok(rows)
}

fn field<'a>(
    lines: &mut std::iter::Peekable<std::str::Lines<'a>>,
    letter: &str,
) -> Result<&'a str, DecodeError> {
    match lines.next().and_then(|l| l.split_once('\t')) {
        Some((l, row)) if l == letter => Ok(row),
        _ => err(format!("line {letter} missing")),
    }
}

/// Decodes the whole catalog.
pub fn decode(text: &str) -> Result<Catalog, DecodeError> {
    let mut lines = text.lines().peekable();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let (source, date) = match header.as_slice() {
        ["iamtrace-catalog", "1", source, date] => (source.to_string(), date.to_string()),
        _ => return err("header"),
    };
    let mut verbs = Vec::new();
    for entry in field(&mut lines, "V")?.split(',') {
        let Some((verb, code)) = entry.split_once(':') else {
            return err(format!("verb {entry}"));
        };
        let code = code.chars().next().unwrap_or('?');
        verbs.push((verb, level(code)?));
    }
    let global_keys = field(&mut lines, "G")?
        .split('\t')
        .map(|e| condition_key(e, None))
        .collect::<Result<Vec<_>, _>>()?;
    let prefixes: Vec<&str> = field(&mut lines, "S")?.split('\t').collect();
    let n = prefixes.len();
    let keys = section(&mut lines, "K", n)?;
    let resources = section(&mut lines, "R", n)?;
    let names = section(&mut lines, "N", n)?;
    let levels = section(&mut lines, "L", n)?;
    let refs = section(&mut lines, "T", n)?;
    let key_lists = section(&mut lines, "C", n)?;

    let mut services = Vec::with_capacity(n);
    let mut foreign_keys = Vec::new();
    for (s, prefix) in prefixes.iter().enumerate() {
        let pick = |rows: &Vec<&str>| -> String { rows.get(s).copied().unwrap_or_default().into() };
        let condition_keys = match pick(&keys).as_str() {
            "" => Vec::new(),
            k => k
                .split('\t')
                .map(|e| condition_key(e, Some(prefix)))
                .collect::<Result<Vec<_>, _>>()?,
        };
        for (k, key) in condition_keys.iter().enumerate() {
            let own = key
                .name
                .split_once(':')
                .is_some_and(|(p, _)| p.eq_ignore_ascii_case(prefix) || p == "aws");
            if !own {
                foreign_keys.push((s, k));
            }
        }
        let nk = condition_keys.len();
        let mut resource_types = Vec::new();
        for entry in pick(&resources).split('\t').filter(|e| !e.is_empty()) {
            let mut parts = entry.split('|');
            let (Some(name), Some(arns), Some(ks), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return err(format!("resource type {entry}"));
            };
            resource_types.push(ResourceType {
                name: name.to_string(),
                arn_formats: arns.split(' ').map(|a| arn_format(a, prefix)).collect(),
                condition_keys: numbers(ks, nk)?,
            });
        }
        let nr = resource_types.len();

        // Action names: `rest|verbs` groups, the rest front-coded.
        let mut action_names = Vec::new();
        let mut previous = String::new();
        for group in pick(&names).split(' ').filter(|g| !g.is_empty()) {
            let Some((coded, verb_numbers)) = group.split_once('|') else {
                return err(format!("action group {group}"));
            };
            let digits = coded.bytes().take_while(u8::is_ascii_digit).count();
            let shared: usize = match coded.get(..digits) {
                Some("") | None => 0,
                Some(d) => d.parse().map_err(|_| DecodeError(group.into()))?,
            };
            let rest = format!(
                "{}{}",
                previous.get(..shared).unwrap_or_default(),
                coded.get(digits..).unwrap_or_default()
            );
            for v in numbers(verb_numbers, verbs.len())? {
                let (verb, default_level) = verbs
                    .get(v as usize)
                    .copied()
                    .unwrap_or(("", AccessLevel::Write));
                action_names.push((format!("{verb}{rest}"), default_level));
            }
            previous = rest;
        }
        let level_codes: Vec<char> = pick(&levels).chars().collect();
        let ref_lists = pick(&refs);
        let ref_lists: Vec<&str> = ref_lists.split(';').collect();
        let key_rows = pick(&key_lists);
        let key_rows: Vec<&str> = key_rows.split(';').collect();
        let na = action_names.len();
        if level_codes.len() != na || (na > 0 && (ref_lists.len() != na || key_rows.len() != na)) {
            return err(format!("service {prefix}: {na} actions, columns differ"));
        }
        let mut actions = Vec::with_capacity(na);
        for (i, (name, default_level)) in action_names.into_iter().enumerate() {
            let access_level = match level_codes.get(i) {
                Some('.') => default_level,
                Some(&c) => level(c)?,
                None => return err(format!("level of {prefix}:{name}")),
            };
            let mut resource_refs = Vec::new();
            for r in ref_lists.get(i).copied().unwrap_or_default().split(',') {
                if r.is_empty() {
                    continue;
                }
                let (num, required) = match r.strip_suffix('*') {
                    Some(num) => (num, true),
                    None => (r, false),
                };
                match num.parse::<u16>() {
                    Ok(v) if (v as usize) < nr => resource_refs.push((v, required)),
                    _ => return err(format!("resource type number {r} of {prefix}:{name}")),
                }
            }
            actions.push(Action {
                name,
                access_level,
                resource_types: resource_refs,
                condition_keys: numbers(key_rows.get(i).copied().unwrap_or_default(), nk)?,
            });
        }
        let mut by_name: Vec<u32> = (0..actions.len() as u32).collect();
        by_name.sort_by(
            |&a, &b| match (actions.get(a as usize), actions.get(b as usize)) {
                (Some(a), Some(b)) => super::model::cmp_ignore_case(&a.name, &b.name),
                _ => std::cmp::Ordering::Equal,
            },
        );
        services.push(Service {
            prefix: prefix.to_string(),
            actions,
            by_name,
            resource_types,
            condition_keys,
        });
    }
    if lines.next().is_some() {
        return err("text after the last section");
    }
    Ok(Catalog {
        source,
        date,
        services,
        global_keys,
        foreign_keys,
    })
}
