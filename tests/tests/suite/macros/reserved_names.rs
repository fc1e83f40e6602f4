//! The names a handler cannot take are the real API of `Address`: every `pub` method of
//! an inherent `impl .. Address<..>` block anywhere in `messages/src`, and every method
//! of a public trait implemented for `Address`, is in the macro's reserved list, and
//! every name on that list still exists. Adding a method to `Address` without adding
//! it to `messages-derive/src/reserved.rs` fails here: a handler of that name would
//! silently hide it on the typed address.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

#[allow(dead_code, reason = "the list the macro uses, read whole")]
mod reserved {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../messages-derive/src/reserved.rs"
    ));
}

/// The methods a trait has beyond the ones an impl writes (its provided methods), for
/// the standard traits `Address` implements. A trait missing here fails the test.
fn provided_methods(trait_name: &str) -> Option<&'static [&'static str]> {
    Some(match trait_name {
        "Clone" => &["clone_from"],
        "PartialEq" => &["ne"],
        "Eq" => &[],
        "Hash" => &["hash_slice"],
        "Debug" | "Display" => &[],
        _ => return None,
    })
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("messages/src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// What the runtime's source says about `Address`.
#[derive(Default)]
struct Api {
    /// `pub` methods of inherent impls.
    inherent: BTreeSet<String>,
    /// Traits implemented for `Address`: (trait name, methods the impl writes).
    traits: Vec<(String, Vec<String>)>,
    /// Public traits defined in the crate: (name, every method).
    public_traits: Vec<(String, Vec<String>)>,
}

fn is_address(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path)
        if path.path.segments.last().is_some_and(|segment| segment.ident == "Address"))
}

impl<'ast> Visit<'ast> for Api {
    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if is_address(&item.self_ty) {
            let methods = item.items.iter().filter_map(|item| match item {
                syn::ImplItem::Fn(method) => Some(method),
                _ => None,
            });
            match &item.trait_ {
                None => self.inherent.extend(
                    methods
                        .filter(|method| matches!(method.vis, syn::Visibility::Public(_)))
                        .map(|method| method.sig.ident.to_string()),
                ),
                Some((_, path, _)) => {
                    let name = path
                        .segments
                        .last()
                        .expect("a trait name")
                        .ident
                        .to_string();
                    let written = methods.map(|method| method.sig.ident.to_string()).collect();
                    self.traits.push((name, written));
                }
            }
        }
        syn::visit::visit_item_impl(self, item);
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        if matches!(item.vis, syn::Visibility::Public(_)) {
            let methods = item
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::TraitItem::Fn(method) => Some(method.sig.ident.to_string()),
                    _ => None,
                })
                .collect();
            self.public_traits.push((item.ident.to_string(), methods));
        }
        syn::visit::visit_item_trait(self, item);
    }
}

/// The runtime's source files, parsed, and what they say about `Address`.
fn scan() -> (Api, Vec<syn::File>) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../messages/src");
    let mut files = Vec::new();
    rust_files(&source, &mut files);
    let mut api = Api::default();
    let mut parsed = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable source file");
        let syntax = syn::parse_file(&text)
            .unwrap_or_else(|error| panic!("{} does not parse: {error}", file.display()));
        api.visit_file(&syntax);
        parsed.push(syntax);
    }
    assert!(
        api.inherent.contains("send") && api.inherent.contains("stop"),
        "the scan found no `Address` methods in {}: has the runtime moved?",
        source.display()
    );
    (api, parsed)
}

/// Every method a user can call on an `Address`, read from `messages/src`.
fn address_api() -> BTreeSet<String> {
    let (api, _) = scan();
    let mut methods = api.inherent.clone();
    for (name, written) in &api.traits {
        if let Some((_, all)) = api.public_traits.iter().find(|(public, _)| public == name) {
            methods.extend(all.iter().cloned());
        } else if let Some(provided) = provided_methods(name) {
            methods.extend(written.iter().cloned());
            methods.extend(provided.iter().map(|method| (*method).to_owned()));
        }
        // Otherwise a private trait of the crate: users cannot call its methods.
    }
    methods
}

#[test]
fn every_address_method_is_reserved() {
    let reserved: BTreeSet<String> = reserved::ADDRESS_METHODS
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    let api = address_api();
    let missing: Vec<&String> = api.difference(&reserved).collect();
    assert!(
        missing.is_empty(),
        "`Address` has methods a handler could hide: add {missing:?} to ADDRESS_METHODS in \
         messages-derive/src/reserved.rs (and a line to its UI test if you like)"
    );
    let stale: Vec<&String> = reserved.difference(&api).collect();
    assert!(
        stale.is_empty(),
        "ADDRESS_METHODS in messages-derive/src/reserved.rs lists {stale:?}, which `Address` no \
         longer has: remove them"
    );
}

#[test]
fn the_standard_traits_of_address_are_known() {
    let (api, files) = scan();
    for (name, _) in &api.traits {
        let private = !api.public_traits.iter().any(|(public, _)| public == name)
            && source_defines_private_trait(&files, name);
        assert!(
            private || provided_methods(name).is_some(),
            "`Address` implements `{name}`: list its provided methods in this test's \
             `provided_methods`, then reserve its methods"
        );
    }
}

/// Whether the runtime defines a non-`pub` trait of this name (whose methods users
/// cannot call).
fn source_defines_private_trait(files: &[syn::File], name: &str) -> bool {
    struct Find<'a>(&'a str, bool);
    impl<'ast> Visit<'ast> for Find<'_> {
        fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
            if item.ident == self.0 && !matches!(item.vis, syn::Visibility::Public(_)) {
                self.1 = true;
            }
        }
    }
    let mut find = Find(name, false);
    for file in files {
        find.visit_file(file);
    }
    find.1
}

#[test]
fn every_reserved_name_is_refused_with_where_it_comes_from() {
    for name in reserved::ADDRESS_METHODS {
        let hidden = reserved::hidden_by(name).expect("a reserved name is refused");
        assert!(hidden.contains(name), "{name}: {hidden}");
    }
    for (name, _) in reserved::TYPED_ADDRESS_METHODS {
        assert!(reserved::hidden_by(name).is_some(), "{name}");
    }
    assert!(reserved::hidden_by("deposit").is_none());
}
