//! Names and paths the generated code uses.

use heck::ToSnakeCase;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Ident, Path, Type, Visibility};

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

/// `Account` -> `account`: the module holding the message types.
pub(super) fn module_ident(actor: &Ident) -> Ident {
    let name = actor.to_string();
    format_ident!(
        "{}",
        name.trim_start_matches("r#").to_snake_case(),
        span = actor.span()
    )
}

/// A hygienic local name the user's code cannot clash with.
pub(super) fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// Rewrites a type written in the impl block so it means the same inside the generated
/// message module one level down: `self::X` -> `super::X`, `super::X` ->
/// `super::super::X`, `Self` -> the actor type.
pub(super) fn into_child_module(ty: &Type, actor: &Path) -> Type {
    rewrite(ty, actor, true)
}

/// Rewrites `Self` in a type written in the impl block to the actor type, for generated
/// code where `Self` means something else (the typed address).
pub(super) fn without_self(ty: &Type, actor: &Path) -> Type {
    rewrite(ty, actor, false)
}

fn rewrite(ty: &Type, actor: &Path, child_module: bool) -> Type {
    struct Rewrite<'a> {
        actor: &'a Path,
        child_module: bool,
    }
    impl VisitMut for Rewrite<'_> {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::Path(path) = ty {
                if path.qself.is_none() && path.path.is_ident("Self") {
                    let mut actor = self.actor.clone();
                    self.visit_path_mut(&mut actor);
                    *ty = syn::parse_quote!(#actor);
                    return;
                }
            }
            syn::visit_mut::visit_type_mut(self, ty);
        }
        fn visit_path_mut(&mut self, path: &mut Path) {
            if path.leading_colon.is_none() {
                if let Some(first) = path.segments.first_mut() {
                    if !self.child_module && first.ident != "Self" {
                        // Same module: only `Self` changes meaning.
                    } else if first.ident == "self" {
                        first.ident = Ident::new("super", first.ident.span());
                    } else if first.ident == "super" {
                        path.segments.insert(0, syn::parse_quote!(super));
                    } else if first.ident == "Self" && path.segments.len() > 1 {
                        // `Self::Assoc`: keep the actor's path in front.
                        let rest: Vec<_> = path.segments.iter().skip(1).cloned().collect();
                        let mut actor = self.actor.clone();
                        self.visit_path_mut(&mut actor);
                        actor.segments.extend(rest);
                        *path = actor;
                        return;
                    }
                }
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    let mut ty = ty.clone();
    Rewrite {
        actor,
        child_module,
    }
    .visit_type_mut(&mut ty);
    ty
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
                let fixed = into_child_module(&syn::parse_quote!(#path), &syn::parse_quote!(Self));
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
