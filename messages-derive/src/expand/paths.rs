//! Names and paths the generated code uses.

use std::collections::HashSet;

use heck::ToSnakeCase;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Ident, Path, Type, Visibility};

use crate::model::ActorImpl;

/// The path to the `messages` crate: `::messages`, or the `crate = ..` option.
pub(super) fn krate(option: Option<&Path>) -> TokenStream {
    match option {
        Some(path) => quote!(#path),
        None => quote!(::messages),
    }
}

/// `Account` -> `AccountAddress`.
pub(super) fn address_ident(actor: &Ident) -> Ident {
    format_ident!("{}Address", actor)
}

/// `Account` -> `account`: the module holding the message types, unless
/// `#[actor(module = name)]` names it. A keyword becomes a raw identifier (`r#type`).
pub(super) fn module_ident(actor: &ActorImpl) -> Ident {
    if let Some(module) = &actor.options.module {
        return module.clone();
    }
    let name = actor.actor_ident.to_string();
    let name = name.trim_start_matches("r#").to_snake_case();
    let span = actor.actor_ident.span();
    if syn::parse_str::<Ident>(&name).is_ok() {
        Ident::new(&name, span)
    } else if cannot_be_raw(&name) {
        // `validate` reports it (name the module with `module = ..`); a name that
        // compiles keeps the expansion going.
        format_ident!("{}_messages", name, span = span)
    } else {
        Ident::new_raw(&name, span)
    }
}

/// Keywords that are not even allowed as raw identifiers.
fn cannot_be_raw(name: &str) -> bool {
    matches!(name, "crate" | "self" | "super" | "_")
}

/// The name under which the user's `name` is imported next to the impl block, for a
/// message module where `name` means one of its own message types.
pub(super) fn alias_ident(module: &Ident, message: &Ident, name: &Ident) -> Ident {
    let module = module.to_string();
    format_ident!(
        "__messages_{}_{}_{}",
        module.trim_start_matches("r#"),
        message,
        name
    )
}

/// The names of generic parameters, as arguments: `'a`, `K`, `N`.
pub(super) fn parameter_names<'a>(
    params: impl IntoIterator<Item = &'a syn::GenericParam>,
) -> Vec<TokenStream> {
    params
        .into_iter()
        .map(|param| match param {
            syn::GenericParam::Lifetime(param) => {
                let lifetime = &param.lifetime;
                quote!(#lifetime)
            }
            syn::GenericParam::Type(param) => {
                let ident = &param.ident;
                quote!(#ident)
            }
            syn::GenericParam::Const(param) => {
                let ident = &param.ident;
                quote!(#ident)
            }
        })
        .collect()
}

/// A hygienic local name the user's code cannot clash with.
pub(super) fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// A hygienic local name, reported at `span` (on the user's tokens) when rustc has
/// something to say about the expression it is in.
pub(super) fn local_at(name: &str, span: Span) -> Ident {
    Ident::new(name, Span::mixed_site().located_at(span))
}

/// `tokens` with every span set to `span`: generated paths (`::messages::Handler`) whose
/// errors belong on a user's token. Only for paths: it would break the hygiene of
/// local names.
pub(super) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut respanned = Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                tree = TokenTree::Group(respanned);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// What a type written in the impl block becomes inside the generated message module
/// one level down, so that it names the same thing there: `self::X` -> `super::X`,
/// `super::X` -> `super::super::X`, `Self` -> the actor type, and a name the module
/// defines itself (a message type, `Update` next to the user's `Update`) -> an import
/// of the user's name made next to the impl block (`super::__messages_..`).
pub(super) struct ChildScope<'a> {
    pub(super) actor: &'a Path,
    /// The names the message module defines: its message types.
    pub(super) own: &'a HashSet<String>,
    /// The impl block's type and const parameters: never rewritten.
    pub(super) parameters: &'a HashSet<String>,
    pub(super) module: &'a Ident,
    pub(super) message: &'a Ident,
}

impl ChildScope<'_> {
    /// Rewrites `ty`; returns it with the user's names it had to import.
    pub(super) fn ty(&self, ty: &Type) -> (Type, Vec<(Ident, Ident)>) {
        self.rewritten(ty, |rewrite, ty| rewrite.visit_type_mut(ty))
    }

    /// Rewrites a bound or where-clause predicate; returns it with its imports.
    pub(super) fn predicate(
        &self,
        predicate: &syn::WherePredicate,
    ) -> (syn::WherePredicate, Vec<(Ident, Ident)>) {
        self.rewritten(predicate, |rewrite, predicate| {
            rewrite.visit_where_predicate_mut(predicate);
        })
    }

    /// A rewritten copy of `node` (by `visit`), with the user's names it had to import.
    fn rewritten<T: Clone>(
        &self,
        node: &T,
        visit: impl FnOnce(&mut Rewrite<'_, '_>, &mut T),
    ) -> (T, Vec<(Ident, Ident)>) {
        let mut node = node.clone();
        let mut rewrite = Rewrite {
            scope: self,
            child_module: true,
            imports: Vec::new(),
        };
        visit(&mut rewrite, &mut node);
        (node, rewrite.imports)
    }
}

/// Rewrites `Self` in a type written in the impl block to the actor type, for generated
/// code where `Self` means something else (the typed address, a free function).
pub(super) fn without_self(ty: &Type, actor: &Path) -> Type {
    same_module(actor, ty, |rewrite, ty| rewrite.visit_type_mut(ty))
}

/// `generics` (bounds and where clause) with `Self` rewritten to the actor type, for an
/// item where `Self` means something else.
pub(super) fn generics_without_self(generics: &syn::Generics, actor: &Path) -> syn::Generics {
    same_module(actor, generics, |rewrite, generics| {
        rewrite.visit_generics_mut(generics);
    })
}

/// A copy of `node` rewritten by `visit` for generated code in the impl block's own
/// module, where only `Self` changes meaning.
fn same_module<T: Clone>(
    actor: &Path,
    node: &T,
    visit: impl FnOnce(&mut Rewrite<'_, '_>, &mut T),
) -> T {
    let none = HashSet::new();
    let module = Ident::new("unused", Span::call_site());
    let scope = ChildScope {
        actor,
        own: &none,
        parameters: &none,
        module: &module,
        message: &module,
    };
    let mut node = node.clone();
    visit(
        &mut Rewrite {
            scope: &scope,
            child_module: false,
            imports: Vec::new(),
        },
        &mut node,
    );
    node
}

struct Rewrite<'a, 'b> {
    scope: &'a ChildScope<'b>,
    child_module: bool,
    /// (the user's name, its import) pairs made so far.
    imports: Vec<(Ident, Ident)>,
}

impl VisitMut for Rewrite<'_, '_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty {
            if path.qself.is_none() && path.path.is_ident("Self") {
                let mut actor = self.scope.actor.clone();
                self.visit_path_mut(&mut actor);
                *ty = syn::parse_quote!(#actor);
                return;
            }
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    fn visit_path_mut(&mut self, path: &mut Path) {
        let segments = path.segments.len();
        if path.leading_colon.is_none() {
            if let Some(first) = path.segments.first_mut() {
                let name = first.ident.to_string();
                if first.ident == "Self" && segments > 1 {
                    // `Self::Assoc`: keep the actor's path in front.
                    let rest: Vec<_> = path.segments.iter().skip(1).cloned().collect();
                    let mut actor = self.scope.actor.clone();
                    self.visit_path_mut(&mut actor);
                    actor.segments.extend(rest);
                    *path = actor;
                    return;
                } else if !self.child_module {
                    // Same module: only `Self` changes meaning.
                } else if first.ident == "self" {
                    first.ident = Ident::new("super", first.ident.span());
                } else if first.ident == "super" {
                    path.segments.insert(0, syn::parse_quote!(super));
                } else if self.scope.own.contains(&name) && !self.scope.parameters.contains(&name) {
                    let alias = alias_ident(self.scope.module, self.scope.message, &first.ident);
                    self.imports.push((first.ident.clone(), alias.clone()));
                    first.ident = alias;
                    path.segments.insert(0, syn::parse_quote!(super));
                }
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// The visibility an item of the generated module needs to be as visible as `vis`
/// is in the parent module.
pub(super) fn into_child_visibility(vis: &Visibility) -> TokenStream {
    match vis {
        Visibility::Public(_) => quote!(pub),
        Visibility::Inherited => quote!(pub(super)),
        Visibility::Restricted(restricted) => {
            let path = &restricted.path;
            if path.is_ident("crate") {
                quote!(pub(crate))
            } else if path.is_ident("self") {
                quote!(pub(super))
            } else if path.leading_colon.is_none()
                && path
                    .segments
                    .first()
                    .is_some_and(|first| first.ident == "super" || first.ident == "self")
            {
                let mut fixed = (**path).clone();
                if fixed
                    .segments
                    .first()
                    .is_some_and(|first| first.ident == "self")
                {
                    if let Some(first) = fixed.segments.first_mut() {
                        first.ident = Ident::new("super", first.ident.span());
                    }
                } else {
                    fixed.segments.insert(0, syn::parse_quote!(super));
                }
                quote!(pub(in #fixed))
            } else {
                quote!(#vis)
            }
        }
    }
}

/// The visibility of the generated message module: as visible as its most visible
/// message.
pub(super) fn module_visibility<'a>(
    visibilities: impl Iterator<Item = &'a Visibility>,
) -> TokenStream {
    let mut widest = 0;
    for vis in visibilities {
        widest = widest.max(match vis {
            Visibility::Public(_) => 2,
            Visibility::Restricted(_) => 1,
            Visibility::Inherited => 0,
        });
    }
    match widest {
        2 => quote!(pub),
        1 => quote!(pub(crate)),
        _ => quote!(),
    }
}
