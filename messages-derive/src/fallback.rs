//! What is emitted when the input is wrong: the user's item, unchanged (so the rest of
//! their code still resolves), plus the errors.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{ImplItem, ItemImpl};

use crate::errors::Errors;

/// The input did not even parse as an item.
pub(crate) fn unparsed(input: TokenStream, error: syn::Error) -> TokenStream {
    let error = error.to_compile_error();
    quote!(#input #error)
}

/// `#[actor]` on an item it does not apply to.
pub(crate) fn wrong_item(input: TokenStream, at: impl ToTokens, message: &str) -> TokenStream {
    let error = syn::Error::new_spanned(at, message).to_compile_error();
    quote!(#input #error)
}

/// An impl block the macro could not read: emitted with the markers removed, so the
/// methods exist and only the real mistakes are reported.
pub(crate) fn impl_block(mut item: ItemImpl, errors: &Errors) -> TokenStream {
    for impl_item in &mut item.items {
        if let ImplItem::Fn(method) = impl_item {
            method.attrs.retain(|attribute| {
                !attribute.path().is_ident("handler") && !attribute.path().is_ident("notify")
            });
        }
    }
    let errors = errors.to_compile_errors();
    quote!(#item #errors)
}

/// `#[handler]` / `#[notify]` outside an `#[actor]` impl block.
pub(crate) fn misplaced_marker(marker: &str, input: TokenStream) -> TokenStream {
    let error = syn::Error::new(
        proc_macro2::Span::call_site(),
        format!(
            "#[{marker}] only works on a method of an `#[actor]` impl block: add #[actor] above the `impl`"
        ),
    )
    .to_compile_error();
    quote!(#input #error)
}
