//! The private machinery is a stack of layers: each module imports only the modules
//! below it. This test reads the crate's source and fails on an import that points up
//! (or sideways), which is how an import cycle starts.
//!
//! The public types (`Actor`, `Context`, `Address`, `Handler`...) name each other and
//! are not part of the stack; the machinery may name them through the crate root.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The machinery, bottom layer first.
const LAYERS: &[&str] = &[
    "sync",       // std's or loom's primitives
    "panic",      // the panic boundary
    "watchers",   // waker slots of the stop's waiters
    "exit_slot",  // the actor's end: stop reason, final state, waiters
    "waits",      // which actors wait on which (the deadlock graph)
    "reentrancy", // which actor the thread runs
    "reply",      // the answer channel of a request
    "queue",      // the bounded queue of items, with waiting senders
    "envelope",   // the items a mailbox carries and what the loop does with them
    "backlog",    // items of many types, unboxed, in order
    "priority",   // the priority lane
    "cell",       // the actor's cell: what a context and its addresses share, and its handles
];

/// The crate's modules (by top-level name) and the top-level modules each imports
/// through `crate::`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut imports = BTreeMap::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("the crate's source") {
            let path = entry.expect("a source entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|extension| extension != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&root).expect("under src");
            let first = relative.components().next().expect("a file");
            let module = first
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            let source = std::fs::read_to_string(&path).expect("readable source");
            let found: &mut BTreeSet<String> = imports.entry(module.clone()).or_default();
            found.extend(crate_paths(&source).filter(|name| *name != module));
        }
    }
    imports
}

/// The first segment of every `crate::` path in `source` (outside line comments),
/// including each member of a `crate::{..}` group.
fn crate_paths(source: &str) -> impl Iterator<Item = String> + '_ {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            names.extend(group_members(group).map(first_segment));
        } else {
            names.push(first_segment(rest));
        }
    }
    names
        .into_iter()
        .filter(|name| name.starts_with(|c: char| c.is_ascii_lowercase()))
}

/// The top-level members of the group that `group` starts (just after its `{`).
fn group_members(group: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0_usize;
    let mut start = 0;
    let mut members = Vec::new();
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                members.push(&group[start..at]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                members.push(&group[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    members.into_iter().map(str::trim)
}

fn first_segment(path: &str) -> String {
    path.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn the_machinery_imports_only_the_layers_below_it() {
    let imports = imports();
    let mut upward = Vec::new();
    for (height, module) in LAYERS.iter().enumerate() {
        let found = imports
            .get(*module)
            .unwrap_or_else(|| panic!("no module `{module}`: update LAYERS"));
        for import in found {
            if let Some(target) = LAYERS.iter().position(|layer| layer == import) {
                if target >= height {
                    upward.push(format!("{module} imports {import}"));
                }
            }
        }
    }
    assert!(upward.is_empty(), "imports that point up: {upward:?}");
}

#[test]
fn the_reader_sees_imports_and_groups() {
    let source = "use crate::queue::Queue;\nuse crate::{Actor, panic::{self, catch}, sync};\n\
                  // crate::shared\nlet _ = crate::waits::begin;\n";
    let found: BTreeSet<String> = crate_paths(source).collect();
    let expected: BTreeSet<String> = ["queue", "panic", "sync", "waits"].map(String::from).into();
    assert_eq!(found, expected);
}
