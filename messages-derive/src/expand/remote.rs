//! `#[actor(remote)]`: the `messages_remote::Remote` impl of the actor (how each of its
//! messages goes on the wire and is served from there), and serde's derives on every
//! message type.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::paths::krate;
use crate::model::{ActorImpl, Delivery, HandlerDef};

/// The remote crate, as generated code names it.
fn remote_crate() -> TokenStream {
    quote!(::messages_remote)
}

/// The attributes that make a message type cross the wire: serde's derives, through
/// the remote crate (the user's crate need not depend on serde).
pub(super) fn message_attributes(actor: &ActorImpl) -> TokenStream {
    if actor.options.remote.is_none() {
        return TokenStream::new();
    }
    let remote = remote_crate();
    let serde_path = format!("{remote}::__private::serde").replace(' ', "");
    quote! {
        #[derive(#remote::__private::serde::Serialize, #remote::__private::serde::Deserialize)]
        #[serde(crate = #serde_path)]
    }
}

/// A message's tag on the wire: its `tag = ".."`, or `Actor::Message`.
fn tag(actor: &ActorImpl, handler: &HandlerDef) -> String {
    handler.tag.as_ref().map_or_else(
        || format!("{}::{}", actor.actor_ident, handler.message),
        syn::LitStr::value,
    )
}

/// `impl messages_remote::Remote for Actor`, when the block asks for it.
pub(super) fn remote_impl(actor: &ActorImpl, message_types: &[TokenStream]) -> TokenStream {
    if actor.options.remote.is_none() {
        return TokenStream::new();
    }
    let remote = remote_crate();
    let krate = krate(actor.options.krate.as_ref());
    let self_ty = &actor.item.self_ty;
    let (impl_generics, _, where_clause) = actor.item.generics.split_for_impl();
    let mut predicates: Vec<TokenStream> = where_clause
        .map(|clause| {
            clause
                .predicates
                .iter()
                .map(|predicate| quote!(#predicate))
                .collect()
        })
        .unwrap_or_default();
    let mut takes = Vec::new();
    let mut serves = Vec::new();
    let mut tags = Vec::new();
    for (handler, message_type) in actor.handlers.iter().zip(message_types) {
        let cfg = &handler.carried.cfg;
        let tag = tag(actor, handler);
        // What must cross the wire, spanned on the user's tokens: a type that is not
        // serde-ready is reported on the method (the message) or its return type.
        // Only a generic block needs them (its calls below must know the bounds); a
        // concrete one is checked at those calls, spanned on the user's types.
        if cfg.is_empty() && !actor.item.generics.params.is_empty() {
            let method_span = handler.sig.ident.span();
            predicates.push(quote_spanned!(method_span=> #message_type: #remote::Wire));
            if let Some(output) = &handler.output {
                predicates.push(quote_spanned!(output.span()=> #output: #remote::Wire));
            }
        }
        // The calls that need the answer to cross are spanned on the user's return type
        // (on the method without one): what rustc finds missing is reported there.
        let span = handler
            .output
            .as_ref()
            .map_or_else(|| handler.sig.ident.span(), Spanned::span);
        let (take, outgoing, serve) = match handler.delivery {
            Delivery::Request => (
                quote!(request),
                quote_spanned!(span=> #remote::Outgoing::request(#tag, &message, responder)),
                quote_spanned!(span=> #remote::serve_request::<Self, #message_type, #krate::delegation::Direct>(payload, address)),
            ),
            Delivery::Delegate => (
                quote!(delegated),
                quote_spanned!(span=> #remote::Outgoing::request(#tag, &message, responder)),
                quote_spanned!(span=> #remote::serve_request::<Self, #message_type, #krate::delegation::Delegated>(payload, address)),
            ),
            Delivery::Read => (
                quote!(read),
                quote_spanned!(span=> #remote::Outgoing::request(#tag, &message, responder)),
                quote_spanned!(span=> #remote::serve_read::<Self, #message_type>(payload, address)),
            ),
            Delivery::Notify => (
                quote!(notification),
                quote_spanned!(span=> #remote::Outgoing::notification(#tag, &message)),
                quote_spanned!(span=> #remote::serve_notification::<Self, #message_type>(payload, address)),
            ),
        };
        let taken = match handler.delivery {
            Delivery::Notify => quote!(message),
            Delivery::Request | Delivery::Delegate | Delivery::Read => quote!((message, responder)),
        };
        takes.push(quote! {
            #(#cfg)*
            let incoming = match incoming.#take::<#message_type>() {
                ::core::result::Result::Ok(#taken) => {
                    return ::core::option::Option::Some(#outgoing);
                }
                ::core::result::Result::Err(incoming) => incoming,
            };
        });
        serves.push(quote! {
            #(#cfg)*
            #tag => ::core::option::Option::Some(#serve),
        });
        tags.push(quote! {
            #(#cfg)*
            tags.push(#tag);
        });
    }
    let where_clause = (!predicates.is_empty()).then(|| quote!(where #(#predicates),*));
    quote! {
        #[automatically_derived]
        #[allow(deprecated)]
        impl #impl_generics #remote::Remote for #self_ty #where_clause {
            fn outgoing(
                incoming: #remote::__private::Incoming<'_, Self>,
            ) -> ::core::option::Option<#remote::Outgoing> {
                #(#takes)*
                // Not a message that crosses: the proxy refuses it (a request is answered `Unanswered`).
                let _ = incoming;
                ::core::option::Option::None
            }

            fn serve<'a>(
                tag: &str,
                payload: &'a [u8],
                address: &'a #krate::Address<Self>,
            ) -> ::core::option::Option<#remote::Serving<'a>> {
                match tag {
                    #(#serves)*
                    _ => ::core::option::Option::None,
                }
            }

            #[allow(unused_mut, clippy::vec_init_then_push)]
            fn tags() -> ::std::vec::Vec<&'static str> {
                let mut tags = ::std::vec::Vec::new();
                #(#tags)*
                tags
            }
        }
    }
}
