//! What the user wrote, read into a model: the actor declaration, and the handlers of an
//! `#[actor]` impl block. Shape errors (a receiver, a pattern, a context parameter the
//! macro cannot use) are recorded here, each spanned on the user's tokens; semantic
//! checks across handlers live in `validate`.

use proc_macro2::TokenStream;
use quote::format_ident;
use syn::{
    Attribute, FnArg, Generics, Ident, ImplItem, ImplItemFn, ItemImpl, Pat, Path, ReturnType, Type,
    Visibility,
};

use crate::attr::{ImplOptions, MethodOptions, StructOptions};
use crate::errors::Errors;

/// `#[actor]` on a struct or enum.
pub(crate) struct ActorDecl {
    pub(crate) ident: Ident,
    pub(crate) vis: Visibility,
    pub(crate) generics: Generics,
    pub(crate) options: StructOptions,
}

/// `#[actor]` on an impl block.
pub(crate) struct ActorImpl {
    /// The block as written, minus the `#[handler]` / `#[notify]` markers.
    pub(crate) item: ItemImpl,
    /// The actor type's path (`Account`, `super::Cache<K, V>`).
    pub(crate) self_path: Path,
    /// The actor type's name, last segment of `self_path`.
    pub(crate) actor_ident: Ident,
    pub(crate) handlers: Vec<HandlerDef>,
    pub(crate) options: ImplOptions,
}

/// Request or notification.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Handler,
    Notify,
}

impl Kind {
    pub(crate) fn marker(self) -> &'static str {
        match self {
            Kind::Handler => "handler",
            Kind::Notify => "notify",
        }
    }
}

/// One `#[handler]` / `#[notify]` method.
pub(crate) struct HandlerDef {
    pub(crate) kind: Kind,
    pub(crate) method: Ident,
    /// The generated message type's name.
    pub(crate) message: Ident,
    pub(crate) vis: Visibility,
    pub(crate) docs: Vec<Attribute>,
    pub(crate) is_async: bool,
    /// `#[handler(parallel)]`: a read handler (`&self`), run concurrently with others.
    pub(crate) parallel: bool,
    /// The message fields, in order, without the context parameter.
    pub(crate) fields: Vec<Field>,
    /// Where the context parameter sits among the arguments, if there is one.
    pub(crate) context_at: Option<usize>,
    /// `None` for a method returning `()`.
    pub(crate) output: Option<Type>,
    /// The signature, for spans of errors rustc finds in generated code.
    pub(crate) sig: syn::Signature,
}

/// One message field: a method argument.
pub(crate) struct Field {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
}

/// Reads a struct or enum declaration.
pub(crate) fn actor_decl(
    ident: &Ident,
    vis: &Visibility,
    generics: &Generics,
    options: StructOptions,
) -> ActorDecl {
    ActorDecl {
        ident: ident.clone(),
        vis: vis.clone(),
        generics: generics.clone(),
        options,
    }
}

/// Reads an impl block; shape errors go to `errors`. Handlers whose shape is wrong are
/// left out of the model (their method stays in the emitted impl block).
pub(crate) fn actor_impl(
    mut item: ItemImpl,
    options: ImplOptions,
    errors: &mut Errors,
) -> Option<ActorImpl> {
    if let Some((_, trait_path, _)) = &item.trait_ {
        errors.at(
            trait_path,
            "#[actor] goes on the actor's inherent impl block (`impl Account { .. }`), not on a trait impl",
        );
        return None;
    }
    let self_path = match &*item.self_ty {
        Type::Path(type_path) if type_path.qself.is_none() => type_path.path.clone(),
        other => {
            errors.at(
                other,
                "#[actor] impl blocks must be for a named struct or enum, like `impl Account`",
            );
            return None;
        }
    };
    let actor_ident = self_path.segments.last()?.ident.clone();
    for lifetime in item.generics.lifetimes() {
        errors.at(
            lifetime,
            "an actor cannot borrow: remove the lifetime parameter (actors are `'static`)",
        );
    }
    let mut handlers = Vec::new();
    for impl_item in &mut item.items {
        if let ImplItem::Fn(method) = impl_item {
            if let Some(handler) = handler_def(method, errors) {
                handlers.push(handler);
            }
        }
    }
    Some(ActorImpl {
        item,
        self_path,
        actor_ident,
        handlers,
        options,
    })
}

/// Takes the markers off `method` and reads it as a handler, if it is marked.
fn handler_def(method: &mut ImplItemFn, errors: &mut Errors) -> Option<HandlerDef> {
    let mut marker: Option<(Kind, MethodOptions)> = None;
    let mut kept = Vec::new();
    for attribute in std::mem::take(&mut method.attrs) {
        let kind = if attribute.path().is_ident("handler") {
            Kind::Handler
        } else if attribute.path().is_ident("notify") {
            Kind::Notify
        } else {
            kept.push(attribute);
            continue;
        };
        match &marker {
            Some((first, _)) if *first == kind => errors.at(
                &attribute,
                format!("duplicate #[{}] attribute", kind.marker()),
            ),
            Some((first, _)) => errors.at(
                &attribute,
                format!(
                    "a method is either a #[handler] (answers) or a #[notify] (fire-and-forget), not both; \
                     remove #[{}] or #[{}]",
                    first.marker(),
                    kind.marker()
                ),
            ),
            None => match MethodOptions::parse(&attribute, kind.marker()) {
                Ok(options) => marker = Some((kind, options)),
                Err(error) => {
                    errors.push(error);
                    // Still a handler: keep checking its shape.
                    marker = Some((kind, MethodOptions::default()));
                }
            },
        }
    }
    method.attrs = kept;
    let (kind, options) = marker?;

    let sig = &method.sig;
    let mut ok = true;
    let mut fail = |errors: &mut Errors, tokens: &dyn quote::ToTokens, message: &str| {
        ok = false;
        errors.push(syn::Error::new_spanned(tokens.to_token_stream(), message));
    };

    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        fail(
            errors,
            &sig.generics,
            "a handler cannot be generic: its message type must be concrete; \
             put the type parameter on the actor (`impl<T> Actor<T>`) instead",
        );
    }
    if let Some(unsafety) = &sig.unsafety {
        fail(
            errors,
            unsafety,
            "a handler cannot be `unsafe fn`: wrap the unsafe code in the method body",
        );
    }
    if let Some(abi) = &sig.abi {
        fail(errors, abi, "a handler cannot have an `extern` ABI");
    }
    if let Some(variadic) = &sig.variadic {
        fail(errors, variadic, "a handler cannot be variadic");
    }

    match sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => {
            if receiver.reference.is_none() || receiver.colon_token.is_some() {
                fail(
                    errors,
                    receiver,
                    "a handler takes `&self` or `&mut self`: the actor keeps its state between messages",
                );
            } else if options.parallel.is_some() && receiver.mutability.is_some() {
                fail(
                    errors,
                    receiver,
                    "a #[handler(parallel)] runs beside other reads, so it takes `&self`, not `&mut self`",
                );
            }
        }
        _ => fail(
            errors,
            &sig.ident,
            "a handler needs a receiver: take `&self` or `&mut self` (an associated function cannot handle messages)",
        ),
    }

    let mut fields = Vec::new();
    let mut context_at = None;
    for (position, input) in sig.inputs.iter().filter_map(typed_arg).enumerate() {
        if is_context(&input.ty) {
            if context_at.is_some() {
                fail(
                    errors,
                    &input.ty,
                    "a handler takes at most one context parameter",
                );
            } else if let Some(message) = context_mistake(&input.ty) {
                fail(errors, &input.ty, message);
            } else {
                context_at = Some(position);
            }
            continue;
        }
        let ident = match &*input.pat {
            Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => pat.ident.clone(),
            other => {
                fail(
                    errors,
                    other,
                    "use a plain argument name: each argument becomes a named field of the message type",
                );
                continue;
            }
        };
        if let Some((tokens, message)) = argument_mistake(&input.ty) {
            fail(errors, &tokens, &message);
            continue;
        }
        fields.push(Field {
            ident,
            ty: (*input.ty).clone(),
        });
    }

    let output = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => match &**ty {
            Type::Tuple(tuple) if tuple.elems.is_empty() => None,
            Type::ImplTrait(_) => {
                fail(
                    errors,
                    ty,
                    "a handler returns a concrete type: the answer travels back through a channel; \
                     name the type instead of `impl Trait`",
                );
                None
            }
            ty => {
                if let Some((tokens, message)) = borrowed_type(ty, "an answer") {
                    fail(errors, &tokens, &message);
                }
                Some(ty.clone())
            }
        },
    };

    let message = options
        .message
        .clone()
        .unwrap_or_else(|| message_name(&sig.ident));
    let docs = method
        .attrs
        .iter()
        .filter(|attribute| attribute.path().is_ident("doc"))
        .cloned()
        .collect();
    if let (Kind::Notify, Some(parallel)) = (kind, &options.parallel) {
        fail(
            errors,
            parallel,
            "`parallel` applies to #[handler] (a read that answers), not to #[notify]",
        );
    }
    ok.then(|| HandlerDef {
        kind,
        parallel: options.parallel.is_some(),
        method: sig.ident.clone(),
        message,
        vis: method.vis.clone(),
        docs,
        is_async: sig.asyncness.is_some(),
        fields,
        context_at,
        output,
        sig: sig.clone(),
    })
}

fn typed_arg(input: &FnArg) -> Option<&syn::PatType> {
    match input {
        FnArg::Typed(typed) => Some(typed),
        FnArg::Receiver(_) => None,
    }
}

/// `deposit` -> `Deposit`, `r#type` -> `Type`.
fn message_name(method: &Ident) -> Ident {
    use heck::ToUpperCamelCase;
    let name = method.to_string();
    let name = name.trim_start_matches("r#");
    format_ident!("{}", name.to_upper_camel_case(), span = method.span())
}

/// Whether a parameter type names the actor context (`&Context<Self>`, `Context<Self>`...).
fn is_context(ty: &Type) -> bool {
    let ty = match ty {
        Type::Reference(reference) => &*reference.elem,
        other => other,
    };
    matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.last().is_some_and(|segment| segment.ident == "Context"))
}

/// What is wrong with a context parameter, if anything.
fn context_mistake(ty: &Type) -> Option<&'static str> {
    let Type::Reference(reference) = ty else {
        return Some("take the context by shared reference: `ctx: &Context<Self>`");
    };
    if reference.mutability.is_some() {
        return Some("take the context by shared reference: `ctx: &Context<Self>`, not `&mut`");
    }
    let Type::Path(path) = &*reference.elem else {
        return None;
    };
    let arguments = path.path.segments.last().map(|segment| &segment.arguments);
    let is_self = match arguments {
        Some(syn::PathArguments::AngleBracketed(arguments)) => {
            arguments.args.len() == 1
                && matches!(arguments.args.first(), Some(syn::GenericArgument::Type(Type::Path(inner)))
                    if inner.path.is_ident("Self"))
        }
        _ => false,
    };
    (!is_self).then_some("the context of a handler is the actor's own: write `&Context<Self>`")
}

/// What is wrong with a message argument type, if anything: it is moved into a message
/// that crosses tasks, so it must be owned.
fn argument_mistake(ty: &Type) -> Option<(TokenStream, String)> {
    if let Type::ImplTrait(_) = ty {
        return Some((
            quote::quote!(#ty),
            "a message field needs a concrete type: replace `impl Trait` with a named type \
             (or put a type parameter on the actor)"
                .to_owned(),
        ));
    }
    borrowed_type(ty, "a message argument")
}

/// A reference or non-`'static` lifetime anywhere in `ty`.
fn borrowed_type(ty: &Type, what: &str) -> Option<(TokenStream, String)> {
    use syn::visit::Visit;

    struct FindBorrow(Option<TokenStream>);
    impl<'ast> Visit<'ast> for FindBorrow {
        fn visit_type_reference(&mut self, reference: &'ast syn::TypeReference) {
            if self.0.is_none() {
                let is_static = reference
                    .lifetime
                    .as_ref()
                    .is_some_and(|lifetime| lifetime.ident == "static");
                if !is_static {
                    self.0 = Some(quote::quote!(#reference));
                }
            }
        }
        fn visit_lifetime(&mut self, lifetime: &'ast syn::Lifetime) {
            if self.0.is_none() && lifetime.ident != "static" {
                self.0 = Some(quote::quote!(#lifetime));
            }
        }
    }

    let mut finder = FindBorrow(None);
    finder.visit_type(ty);
    let tokens = finder.0?;
    let hint = match ty {
        Type::Reference(reference) => match &*reference.elem {
            Type::Path(path) if path.path.is_ident("str") => " (`String` instead of `&str`)",
            Type::Slice(_) => " (`Vec<T>` instead of `&[T]`)",
            _ => "",
        },
        _ => "",
    };
    Some((
        tokens,
        format!(
            "{what} must be owned: it moves between tasks, so it cannot borrow; take an owned type{hint}"
        ),
    ))
}
