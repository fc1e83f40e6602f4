//! The typed address's methods: one per handler, named after it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::paths::{
    address_ident, generics_without_self, krate, local, module_ident, parameter_names, respan,
    without_self,
};
use crate::model::{ActorImpl, Delivery, HandlerDef};

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
    // The futures capture the impl's parameters, not the borrow of the address.
    let captured = parameter_names(&actor.item.generics.params);
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
        let (params, output) = call_types(actor, handler);
        const REQUEST_ERRORS: &str = "\n\n# Errors\n\nA `SendError` when the actor is stopped, \
                                      stops before answering, or panics on this request.";
        let (errors, summary) = match handler.delivery {
            Delivery::Request | Delivery::Read => (
                REQUEST_ERRORS,
                "\n\nSends the request and waits for the answer.",
            ),
            Delivery::Delegate => (
                "\n\n# Errors\n\nA `SendError` when the actor is stopped, stops before answering, \
                 drops the `Responder` unanswered (`Unanswered`), or panics on this request.",
                "\n\nSends the request and waits for the answer, which the handler gives through \
                 its `Responder`, now or later.",
            ),
            Delivery::Notify => (
                "\n\n# Errors\n\nA `SendError` when the actor is stopped.",
                "\n\nQueues the notification and returns; it does not wait for the handler.",
            ),
        };
        // A plain name on the user's token (a mixed-site one is reported on `#[actor]`);
        // an argument named `message` or `address` is read before these bindings, so
        // they cannot clash.
        let message = syn::Ident::new("message", span);
        let address = syn::Ident::new("address", span);
        let future = match handler.delivery {
            // `send` and `read` return futures that own what they need.
            Delivery::Request | Delivery::Delegate | Delivery::Read => {
                let call = match handler.delivery {
                    Delivery::Read => quote!(read),
                    _ => quote!(send),
                };
                let function = respan(quote!(#krate::Address::#call), span);
                quote_spanned! {span=>
                    #function(::core::ops::Deref::deref(self), #message)
                }
            }
            // `notify` borrows the address: the future owns a clone of it.
            Delivery::Notify => {
                let function = respan(quote!(#krate::Address::notify), span);
                quote_spanned! {span=>
                    let #address = ::core::clone::Clone::clone(::core::ops::Deref::deref(self));
                    async move { #function(&#address, #message).await }
                }
            }
        };
        let future_type = respan(
            quote!(impl ::core::future::Future<Output = ::core::result::Result<#output, #krate::SendError>>
                + ::core::marker::Send + use<#(#captured),*>),
            span,
        );
        // The whole method is spanned on the handler's name: what rustc finds wrong with
        // the message (an argument that is not `Send`) is reported on the user's method.
        quote_spanned! {span=>
            #(#cfg)*
            #(#docs)*
            #[doc = #summary]
            #[doc = "\n\nThe future owns what it needs: it does not borrow this address, so it can be \
                     spawned while the address is used or dropped."]
            #[doc = #errors]
            #(#deprecated)*
            #(#allow)*
            #vis fn #method(&self, #(#params),*) -> #future_type {
                // The message type is deprecated with its handler: the caller of this
                // method is warned instead.
                #[allow(deprecated)]
                let #message = #module::#name { #(#fields),* };
                #future
            }
        }
    });
    let stand_in = stand_in(actor);
    let untyped = untyped_methods(actor, &address_path);
    quote! {
        #stand_in

        impl #impl_generics #address_path #where_clause {
            #(#methods)*
        }

        #untyped
    }
}

/// A handler's typed-address method's parameters (`amount: i64`) and answer type (`()`
/// for a notification), as the impl block's module names them.
fn call_types(actor: &ActorImpl, handler: &HandlerDef) -> (Vec<TokenStream>, TokenStream) {
    let params = handler
        .fields
        .iter()
        .map(|field| {
            let ident = &field.ident;
            let ty = without_self(&field.ty, &actor.self_path);
            quote!(#ident: #ty)
        })
        .collect();
    let output = match (&handler.output, handler.delivery) {
        (Some(output), Delivery::Request | Delivery::Read | Delivery::Delegate) => {
            let output = without_self(output, &actor.self_path);
            quote!(#output)
        }
        (None, _) | (_, Delivery::Notify) => quote!(()),
    };
    (params, output)
}

/// What makes a handler's method called on the untyped `Address<Account>` (where the
/// impl block's module is in scope) say to convert the address: a private trait with the
/// same methods, implemented for `Address<Account>`, each bound on `Self:
/// UntypedAddress<AccountAddress>`, which nothing implements, so rustc reports that
/// trait's message where the method is called. The typed address's own methods come
/// first, so calls on it never reach these. The bound is on the method of an impl
/// generic over the actor (`impl<A: Is<Account>>`, or the actor's own parameters), so it
/// is checked at the call, not where the impl is written.
fn untyped_methods(actor: &ActorImpl, address_path: &syn::Path) -> TokenStream {
    if actor.item.generics.lifetimes().next().is_some() {
        // Refused (an actor cannot borrow): nothing to add to that error.
        return TokenStream::new();
    }
    let krate = krate(actor.options.krate.as_ref());
    let name = format_ident!("{}Methods", address_ident(&actor.actor_ident));
    let self_ty = &actor.item.self_ty;
    let generics = generics_without_self(&actor.item.generics, &actor.self_path);
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();
    let untyped = quote!(#krate::__private::UntypedAddress<#address_path>);
    let (declared, arguments) = (&generics, &type_generics);
    let methods: Vec<(TokenStream, TokenStream)> = actor
        .handlers
        .iter()
        .map(|handler| {
            let span = handler.sig.ident.span();
            let method = &handler.method;
            let cfg = &handler.carried.cfg;
            let allow = &handler.carried.allow;
            let (params, output) = call_types(actor, handler);
            let unnamed = params.iter().map(|_| quote!(_));
            let types = handler
                .fields
                .iter()
                .map(|field| without_self(&field.ty, &actor.self_path));
            let future = respan(
                quote!(::core::future::Pending<::core::result::Result<#output, #krate::SendError>>),
                span,
            );
            let untyped = respan(untyped.clone(), span);
            let declaration = quote_spanned! {span=>
                #(#cfg)*
                #(#allow)*
                fn #method(&self, #(#params),*) -> #future where Self: #untyped;
            };
            let definition = quote_spanned! {span=>
                #(#cfg)*
                #(#allow)*
                fn #method(&self, #(#unnamed: #types),*) -> #future where Self: #untyped {
                    ::core::future::pending()
                }
            };
            (declaration, definition)
        })
        .collect();
    let declarations = methods.iter().map(|(declaration, _)| declaration);
    let definitions = methods.iter().map(|(_, definition)| definition);
    let address = quote!(#krate::Address);
    let header = if actor.item.generics.params.is_empty() {
        let param = local("MessagesActor");
        quote! {
            impl<#param: #krate::__private::Is<#self_ty>> #name for #address<#param>
        }
    } else {
        quote! {
            impl #impl_generics #name #arguments for #address<#self_ty>
        }
    };
    quote! {
        #[doc(hidden)]
        #[allow(dead_code, clippy::all, clippy::pedantic)]
        trait #name #declared #where_clause {
            #(#declarations)*
        }

        #[automatically_derived]
        #[allow(deprecated, clippy::all, clippy::pedantic)]
        #header #where_clause {
            #(#definitions)*
        }
    }
}

/// The impl block's first item: a function whose parameter's type exists only when the
/// actor was declared with `#[actor]`. rustc checks item signatures before bodies and in
/// order, so "`Account` is not declared with `#[actor]`" comes before the errors the
/// missing declaration causes (the missing `impl Actor` of the handlers' impls), on the
/// impl block's type.
pub(super) fn declared(actor: &ActorImpl) -> TokenStream {
    let krate = krate(actor.options.krate.as_ref());
    let self_ty = &actor.item.self_ty;
    let span = syn::spanned::Spanned::span(self_ty);
    let is_declared = respan(quote!(#krate::__private::IsDeclared), span);
    let parameter = quote_spanned!(span=> #is_declared<#self_ty>);
    let (impl_generics, _, where_clause) = actor.item.generics.split_for_impl();
    let check = local("declared");
    quote! {
        const _: () = {
            #[allow(dead_code, clippy::extra_unused_type_parameters)]
            fn #check #impl_generics (_: #parameter) #where_clause {}
        };
    }
}

/// What the typed address's name means when the declaration is missing: a stand-in of
/// the same name, imported by a glob next to the impl block, which the real typed
/// address (an item of the same module) shadows. Without it the methods' impl block
/// would name a type that does not exist, and rustc reports that (when it resolves
/// names) before the missing declaration (when it checks types). Only for an actor
/// named by a bare name (`impl Account`): a path (`impl super::Account`) names the
/// typed address in another module, where nothing can stand in for it; and not for
/// an actor whose arguments are not all types or the impl's const parameters
/// (`impl Buffer<4>`), whose stand-in's parameters could not be declared.
fn stand_in(actor: &ActorImpl) -> Option<TokenStream> {
    let path = &actor.self_path;
    if path.leading_colon.is_some() || path.segments.len() != 1 {
        return None;
    }
    let segment = path.segments.first()?;
    let address = address_ident(&segment.ident);
    let arguments = match &segment.arguments {
        syn::PathArguments::None => Vec::new(),
        syn::PathArguments::AngleBracketed(arguments) => arguments.args.iter().collect(),
        syn::PathArguments::Parenthesized(_) => return None,
    };
    let const_parameter = |ty: &syn::Type| {
        let syn::Type::Path(ty) = ty else {
            return None;
        };
        let ident = ty.path.get_ident()?;
        actor
            .item
            .generics
            .const_params()
            .find(|param| ty.qself.is_none() && &param.ident == ident)
    };
    let mut params = Vec::new();
    let mut phantoms = Vec::new();
    for (index, argument) in arguments.into_iter().enumerate() {
        let name = format_ident!("P{index}");
        match argument {
            syn::GenericArgument::Type(ty) => match const_parameter(ty) {
                Some(param) => {
                    let ty = &param.ty;
                    params.push(quote!(const #name: #ty));
                }
                None => {
                    params.push(quote!(#name: ?::core::marker::Sized));
                    phantoms.push(quote!(*const #name));
                }
            },
            _ => return None,
        }
    }
    let krate = krate(actor.options.krate.as_ref());
    let module = format_ident!("__messages_stand_in_for_{}", address);
    let self_ty = &actor.item.self_ty;
    let written = &segment.arguments;
    let (impl_generics, _, where_clause) = actor.item.generics.split_for_impl();
    Some(quote! {
        #[doc(hidden)]
        #[allow(non_snake_case, dead_code, unreachable_pub)]
        mod #module {
            pub(super) struct #address<#(#params),*>(
                pub(super) ::core::convert::Infallible,
                pub(super) ::core::marker::PhantomData<(#(#phantoms,)*)>,
            );
        }

        #[allow(unused_imports, clippy::wildcard_imports)]
        use #module::*;

        // So that the methods' bodies type-check against the stand-in.
        #[automatically_derived]
        impl #impl_generics ::core::ops::Deref for #module::#address #written #where_clause {
            type Target = #krate::Address<#self_ty>;
            fn deref(&self) -> &Self::Target {
                match self.0 {}
            }
        }
    })
}
