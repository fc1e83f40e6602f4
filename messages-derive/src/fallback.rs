//! What is emitted when the input is wrong: the user's item, unchanged (so the rest of
//! their code still resolves), plus the errors.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{ImplItem, ItemImpl, Path};

use crate::errors::Errors;
use crate::model::marker;

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
pub(crate) fn impl_block(mut item: ItemImpl, krate: Option<&Path>, errors: &Errors) -> TokenStream {
    for impl_item in &mut item.items {
        let attrs = match impl_item {
            ImplItem::Fn(item) => &mut item.attrs,
            ImplItem::Const(item) => &mut item.attrs,
            ImplItem::Type(item) => &mut item.attrs,
            ImplItem::Macro(item) => &mut item.attrs,
            _ => continue,
        };
        attrs.retain(|attribute| marker(attribute, krate).is_none());
    }
    let errors = errors.to_compile_errors();
    quote!(#item #errors)
}

/// `#[handler]` / `#[notify]` outside an `#[actor]` impl block.
pub(crate) fn misplaced_marker(marker: &str, input: TokenStream) -> TokenStream {
    // A method (of an impl block, or a free function) lacks the `#[actor]` above it;
    // anything else is not a method at all.
    let message = if syn::parse2::<syn::ImplItemFn>(input.clone()).is_ok() {
        format!(
            "#[{marker}] only works on a method of an `#[actor]` impl block: add #[actor] above the `impl`"
        )
    } else {
        format!(
            "#[{marker}] goes on a method of an `#[actor]` impl block (`fn name(&mut self, ..)`), \
             not on this item"
        )
    };
    let error = syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error();
    quote!(#input #error)
}
