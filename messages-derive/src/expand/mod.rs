//! Generation: the entry point dispatches on the annotated item.

mod address;
mod decl;
mod messages;
mod paths;
mod remote;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Item;

use crate::attr::{ImplOptions, StructOptions};
use crate::errors::Errors;
use crate::{fallback, model, validate};

pub(crate) fn actor(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => return fallback::unparsed(input, error),
    };
    match item {
        Item::Struct(item) => declaration(
            args,
            &item.ident,
            &item.vis,
            &item.generics,
            item.to_token_stream(),
        ),
        Item::Enum(item) => declaration(
            args,
            &item.ident,
            &item.vis,
            &item.generics,
            item.to_token_stream(),
        ),
        Item::Impl(item) => impl_block(args, item),
        Item::Union(item) => fallback::wrong_item(
            input,
            item.union_token,
            "#[actor] cannot declare a union: an actor is a struct or an enum",
        ),
        Item::Trait(item) => fallback::wrong_item(
            input,
            item.trait_token,
            "#[actor] goes on a struct, an enum, or the actor's inherent impl block, not on a trait",
        ),
        Item::Fn(item) => fallback::wrong_item(
            input,
            item.sig.fn_token,
            "#[actor] goes on a struct, an enum, or the actor's inherent impl block, not on a function; \
             to handle messages, put the method in an `#[actor] impl` block with #[handler]",
        ),
        other => fallback::wrong_item(
            input,
            other,
            "#[actor] goes on a struct, an enum, or the actor's inherent impl block",
        ),
    }
}

fn declaration(
    args: TokenStream,
    ident: &syn::Ident,
    vis: &syn::Visibility,
    generics: &syn::Generics,
    item: TokenStream,
) -> TokenStream {
    let mut errors = Errors::default();
    let options = StructOptions::parse(args).unwrap_or_else(|error| {
        errors.push(error);
        StructOptions::default()
    });
    let decl = model::actor_decl(ident, vis, generics, options, &mut errors);
    // Invalid options were dropped: the rest still expands, so one mistake does not
    // cascade into "no type `AccountAddress`" everywhere.
    let generated = decl::expand(&decl);
    let errors = errors.to_compile_errors();
    quote! {
        #item
        #generated
        #errors
    }
}

fn impl_block(args: TokenStream, item: syn::ItemImpl) -> TokenStream {
    let mut errors = Errors::default();
    let options = ImplOptions::parse(args).unwrap_or_else(|error| {
        errors.push(error);
        ImplOptions::default()
    });
    let original = item.clone();
    let krate = options.krate.clone();
    let Some(mut actor) = model::actor_impl(item, options, &mut errors) else {
        return fallback::impl_block(original, krate.as_ref(), &errors);
    };
    validate::impl_block(&mut actor, &mut errors);
    let block = &actor.item;
    // First, so that a missing declaration is the first error rustc reports.
    let declared = address::declared(&actor);
    let messages = messages::expand(&actor);
    let address = address::expand(&actor);
    let errors = errors.to_compile_errors();
    quote! {
        #block
        #declared
        #messages
        #address
        #errors
    }
}
