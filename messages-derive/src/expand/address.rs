//! The typed address's methods: one per handler, named after it.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::paths::{address_ident, krate, module_ident, respan, without_self};
use crate::model::{ActorImpl, Delivery};

pub(super) fn expand(actor: &ActorImpl) -> TokenStream {
    if actor.handlers.is_empty() {
        return TokenStream::new();
    }
    let krate = krate(actor.options.krate.as_ref());
    let module = module_ident(actor);
    let mut address_path = actor.self_path.clone();
    if let Some(last) = address_path.segments.last_mut() {
        last.ident = address_ident(&last.ident);
    }
    let (impl_generics, _, where_clause) = actor.item.generics.split_for_impl();
    let methods = actor.handlers.iter().map(|handler| {
        let vis = &handler.vis;
        let method = &handler.method;
        let name = &handler.message;
        let carried = &handler.carried;
        let cfg = &carried.cfg;
        let docs = &carried.docs;
        let deprecated = &carried.deprecated;
        let allow = &carried.allow;
        // Spanned on the handler's name: if the message cannot be sent (an argument is
        // not `Send`), the error is on the user's method, not on `#[actor]`.
        let span = handler.sig.ident.span();
        let fields = handler.fields.iter().map(|field| &field.ident);
        let params = handler.fields.iter().map(|field| {
            let ident = &field.ident;
            let ty = without_self(&field.ty, &actor.self_path);
            quote!(#ident: #ty)
        });
        let answer = || {
            handler.output.as_ref().map_or_else(
                || quote!(()),
                |output| {
                    let output = without_self(output, &actor.self_path);
                    quote!(#output)
                },
            )
        };
        const REQUEST_ERRORS: &str = "\n\n# Errors\n\nA `SendError` when the actor is stopped, \
                                      stops before answering, or panics on this request.";
        let (output, call, errors) = match handler.delivery {
            Delivery::Request => (answer(), quote!(send), REQUEST_ERRORS),
            Delivery::Read => (answer(), quote!(read), REQUEST_ERRORS),
            Delivery::Notify => (
                quote!(()),
                quote!(notify),
                "\n\n# Errors\n\nA `SendError` when the actor is stopped.",
            ),
        };
        let summary = match handler.delivery {
            Delivery::Request | Delivery::Read => "\n\nSends the request and waits for the answer.",
            Delivery::Notify => "\n\nQueues the notification and returns; it does not wait for the handler.",
        };
        // A plain name on the user's token (a mixed-site one is reported on `#[actor]`);
        // an argument named `message` is read before this binding, so they cannot clash.
        let message = syn::Ident::new("message", span);
        let function = respan(quote!(#krate::Address::#call), span);
        let call = quote_spanned! {span=>
            #function(::core::ops::Deref::deref(self), #message)
        };
        // The whole method is spanned on the handler's name: what rustc finds wrong with
        // the message (an argument that is not `Send`) is reported on the user's method.
        quote_spanned! {span=>
            #(#cfg)*
            #(#docs)*
            #[doc = #summary]
            #[doc = #errors]
            #(#deprecated)*
            #(#allow)*
            #vis async fn #method(&self, #(#params),*) -> ::core::result::Result<#output, #krate::SendError> {
                // The message type is deprecated with its handler: the caller of this
                // method is warned instead.
                #[allow(deprecated)]
                let #message = #module::#name { #(#fields),* };
                #call.await
            }
        }
    });
    let self_ty = &actor.item.self_ty;
    // An impl block whose actor was not declared with #[actor] gets a clear error.
    let declared = quote_spanned! {syn::spanned::Spanned::span(self_ty)=>
        #krate::__private::assert_declared::<#self_ty>();
    };
    quote! {
        impl #impl_generics #address_path #where_clause {
            #(#methods)*
        }

        const _: () = {
            #[allow(dead_code)]
            fn declared #impl_generics () #where_clause {
                #declared
            }
        };
    }
}
