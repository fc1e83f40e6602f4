//! What the user wrote, read into a model: the actor declaration, and the handlers of an
//! `#[actor]` impl block. Shape errors (a receiver, a pattern, a context parameter the
//! macro cannot use) and options that do not go together (`#[notify(parallel)]`,
//! `manual_impl` with a mailbox or hooks) are recorded here, each spanned on the user's
//! tokens, and the model holds only what is valid; semantic checks across handlers live
//! in `validate`.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident};
use syn::punctuated::Punctuated;
use syn::{
    Attribute, FnArg, Generics, Ident, ImplItem, ImplItemFn, ItemImpl, Pat, Path, ReturnType, Type,
    Visibility,
};

use crate::attr::{Derives, ImplOptions, MailboxOption, MethodOptions, StructOptions};
use crate::errors::Errors;

/// `#[actor]` on a struct or enum.
pub(crate) struct ActorDecl {
    pub(crate) ident: Ident,
    pub(crate) vis: Visibility,
    pub(crate) generics: Generics,
    /// `crate = path`.
    pub(crate) krate: Option<Path>,
    pub(crate) actor_trait: ActorTrait,
}

/// Who writes the actor's `impl Actor`.
pub(crate) enum ActorTrait {
    /// `#[actor]`, with the mailbox and hooks its options set.
    Generated(Lifecycle),
    /// The user (`manual_impl`), who sets the mailbox and hooks there, not on `#[actor]`.
    Manual,
}

/// What a generated `impl Actor` sets; `None` leaves the trait's default.
pub(crate) struct Lifecycle {
    pub(crate) mailbox: Option<MailboxOption>,
    pub(crate) started: Option<Ident>,
    pub(crate) stopping: Option<Ident>,
    pub(crate) stopped: Option<Ident>,
    /// Where the options are written (first and last token): where the generated
    /// `impl Actor` is reported, should it conflict with a hand-written one.
    pub(crate) written: Option<(proc_macro2::Span, proc_macro2::Span)>,
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

/// Which marker a method carries: `#[handler]` or `#[notify]`, as written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Handler,
    Notify,
}

impl Marker {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Marker::Handler => "handler",
            Marker::Notify => "notify",
        }
    }
}

/// How a handler gets its messages: the shapes a marker and its options can make, and
/// no other (`#[notify(parallel)]` is refused where the marker is read).
#[derive(Clone, Copy)]
pub(crate) enum Delivery {
    /// `#[handler]`: runs alone, with `&mut self`, and answers.
    Request,
    /// `#[handler(parallel)]`: a request answered with `&self`, beside other reads.
    Read,
    /// `#[notify]`: runs alone; the caller does not wait, so it answers nothing.
    Notify,
    /// `#[handler]` taking a `Responder<R>` and returning nothing: runs alone and hands
    /// the answer to the responder, which may answer later (`impl Delegate`).
    Delegate,
}

impl Delivery {
    /// The delivery `marker` with `options` asks for: an error, on `parallel`, for
    /// `#[notify(parallel)]`.
    fn of(marker: Marker, options: &MethodOptions) -> syn::Result<Self> {
        match (marker, &options.parallel) {
            (Marker::Handler, None) => Ok(Delivery::Request),
            (Marker::Handler, Some(_)) => Ok(Delivery::Read),
            (Marker::Notify, None) => Ok(Delivery::Notify),
            (Marker::Notify, Some(parallel)) => Err(syn::Error::new_spanned(
                parallel,
                "`parallel` applies to #[handler] (a read that answers), not to #[notify]",
            )),
        }
    }

    /// The marker that makes this delivery.
    pub(crate) fn marker(self) -> Marker {
        match self {
            Delivery::Request | Delivery::Read | Delivery::Delegate => Marker::Handler,
            Delivery::Notify => Marker::Notify,
        }
    }
}

/// One `#[handler]` / `#[notify]` method.
pub(crate) struct HandlerDef {
    pub(crate) delivery: Delivery,
    pub(crate) method: Ident,
    /// The generated message type's name.
    pub(crate) message: Ident,
    pub(crate) vis: Visibility,
    /// The method's attributes that belong on what is generated from it too.
    pub(crate) carried: Carried,
    /// The traits derived on the message type: the method's `derive(..)` if it has
    /// one (it replaces the impl block's), otherwise the impl block's.
    pub(crate) derives: Vec<Path>,
    /// `tag = ".."`: the message's name on the wire (with `#[actor(remote)]`).
    pub(crate) tag: Option<syn::LitStr>,
    /// The marker attribute's `#`: where the message type is declared, as rustc sees
    /// it (so its hint for a trait missing on the message, "consider annotating it with
    /// `#[derive(..)]`", points at the method, whose `#[derive]` is refused with the
    /// option that does it).
    pub(crate) marker_span: proc_macro2::Span,
    pub(crate) is_async: bool,
    /// The message fields, in order, without the context and responder parameters.
    pub(crate) fields: Vec<Field>,
    /// The method's arguments after the receiver, in order: how the generated handler
    /// calls it.
    pub(crate) inputs: Vec<Input>,
    /// The answer: the return type, or a delegating handler's `Responder` argument's.
    /// `None` for a method returning `()`. A #[notify] with one is refused in `validate`,
    /// among the cross-handler checks, where its error has always been reported.
    pub(crate) output: Option<Type>,
    /// The signature, for spans of errors rustc finds in generated code.
    pub(crate) sig: syn::Signature,
}

/// A handler's attributes, sorted by where they go besides the method itself. Others
/// (`#[inline]`, `#[must_use]`, tool attributes, `warn`/`deny`/`expect` lints) concern
/// the method's body or its direct callers and stay on the method only.
#[derive(Default)]
pub(crate) struct Carried {
    /// `#[cfg(..)]`: on every item generated for the handler, which exists only with it.
    pub(crate) cfg: Vec<Attribute>,
    /// Doc comments and `#[doc(..)]` (`hidden` too): on the message type and the
    /// typed-address method.
    pub(crate) docs: Vec<Attribute>,
    /// `#[deprecated]`: on the message type and the typed-address method, so callers are
    /// warned where they call; the generated code that uses them allows it.
    pub(crate) deprecated: Vec<Attribute>,
    /// `#[allow(..)]`: on the message type and the typed-address method, which mirror the
    /// handler's signature (`clippy::too_many_arguments` fires on both).
    pub(crate) allow: Vec<Attribute>,
}

/// Where a handler attribute goes, by what it is.
#[derive(Clone, Copy)]
enum Destination {
    Cfg,
    Docs,
    Deprecated,
    Allow,
}

impl Carried {
    fn read(attributes: &[Attribute]) -> Self {
        let mut carried = Self::default();
        for attribute in attributes {
            carried.add(attribute, &attribute.meta, &mut Vec::new());
        }
        carried
    }

    /// Files `meta` (the attribute itself, or one attribute under `cfg_attr`s whose
    /// predicates are `conditions`, outermost first).
    fn add(&mut self, attribute: &Attribute, meta: &syn::Meta, conditions: &mut Vec<TokenStream>) {
        let path = meta.path();
        let destination = if path.is_ident("cfg") {
            Destination::Cfg
        } else if path.is_ident("doc") {
            Destination::Docs
        } else if path.is_ident("deprecated") {
            Destination::Deprecated
        } else if path.is_ident("allow") {
            Destination::Allow
        } else if path.is_ident("cfg_attr") {
            // `cfg_attr(predicate, a, b)`: each of `a`, `b` goes where it would go alone,
            // under the same predicate.
            let Ok((predicate, inner)) = cfg_attr_parts(meta) else {
                return;
            };
            for meta in inner {
                conditions.push(predicate.clone());
                self.add(attribute, &meta, conditions);
                conditions.pop();
            }
            return;
        } else {
            return;
        };
        let carried = if conditions.is_empty() {
            attribute.clone()
        } else {
            // `#[cfg_attr(outer, cfg_attr(inner, meta))]`, rebuilt around this one meta.
            let mut tokens = quote::quote!(#meta);
            for predicate in conditions.iter().rev() {
                tokens = quote::quote!(cfg_attr(#predicate, #tokens));
            }
            let pound = &attribute.pound_token;
            let rebuilt = quote::quote_spanned!(pound.span=> #[#tokens]);
            match syn::parse::Parser::parse2(Attribute::parse_outer, rebuilt) {
                Ok(mut parsed) if parsed.len() == 1 => parsed.remove(0),
                // Not reached (the pieces came from a parsed attribute); leave it out
                // rather than panic.
                _ => return,
            }
        };
        match destination {
            Destination::Cfg => self.cfg.push(carried),
            Destination::Docs => self.docs.push(carried),
            Destination::Deprecated => self.deprecated.push(carried),
            Destination::Allow => self.allow.push(carried),
        }
    }
}

/// `cfg_attr(predicate, a, b)` -> (`predicate`, [`a`, `b`]).
fn cfg_attr_parts(meta: &syn::Meta) -> syn::Result<(TokenStream, Vec<syn::Meta>)> {
    use syn::parse::Parser;
    use syn::punctuated::Punctuated;
    let list = meta.require_list()?;
    let parser = |input: syn::parse::ParseStream<'_>| {
        let predicate: syn::Meta = input.parse()?;
        input.parse::<syn::Token![,]>()?;
        let inner = Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated(input)?;
        Ok((quote::quote!(#predicate), inner.into_iter().collect()))
    };
    parser.parse2(list.tokens.clone())
}

/// Whether `attribute` is the `#[handler]` / `#[notify]` marker: by its name alone, or
/// through the crate's path (`#[messages::handler]`, `#[messages::prelude::notify]`,
/// or the `crate = ..` option's path).
pub(crate) fn marker(attribute: &Attribute, krate: Option<&Path>) -> Option<Marker> {
    marker_of_path(attribute.path(), krate)
}

fn marker_of_path(path: &Path, krate: Option<&Path>) -> Option<Marker> {
    let last = path.segments.last()?;
    let marker = if last.ident == "handler" {
        Marker::Handler
    } else if last.ident == "notify" {
        Marker::Notify
    } else {
        return None;
    };
    if path.segments.len() == 1 {
        return (path.leading_colon.is_none()).then_some(marker);
    }
    let first = &path.segments.first()?.ident;
    let through_crate = first == "messages"
        || krate.is_some_and(|krate| {
            krate.segments.len() < path.segments.len()
                && krate
                    .segments
                    .iter()
                    .zip(&path.segments)
                    .all(|(a, b)| a.ident == b.ident)
        });
    through_crate.then_some(marker)
}

/// A `cfg_attr` that applies a marker: `#[cfg_attr(feature = "x", handler)]`.
fn conditional_marker(attribute: &Attribute, krate: Option<&Path>) -> bool {
    fn applies_marker(meta: &syn::Meta, krate: Option<&Path>) -> bool {
        if !meta.path().is_ident("cfg_attr") {
            return marker_of_path(meta.path(), krate).is_some();
        }
        cfg_attr_parts(meta)
            .is_ok_and(|(_, inner)| inner.iter().any(|meta| applies_marker(meta, krate)))
    }
    attribute.path().is_ident("cfg_attr") && applies_marker(&attribute.meta, krate)
}

/// One argument of a handler method, after the receiver.
#[derive(Clone, Copy)]
pub(crate) enum Input {
    /// The message field of this index.
    Field(usize),
    /// `&Context<Self>`.
    Context,
    /// A delegating handler's `Responder<R>`, with the span of its type.
    Responder(proc_macro2::Span),
}

/// One message field: a method argument.
pub(crate) struct Field {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
}

/// Reads a struct or enum declaration; errors go to `errors`, and what they concern is
/// left out of the model (the rest still expands).
pub(crate) fn actor_decl(
    ident: &Ident,
    vis: &Visibility,
    generics: &Generics,
    options: StructOptions,
    errors: &mut Errors,
) -> ActorDecl {
    for lifetime in generics.lifetimes() {
        errors.at(
            lifetime,
            "an actor cannot borrow: remove the lifetime parameter (actors are `'static`)",
        );
    }
    let StructOptions {
        mailbox,
        started,
        stopping,
        stopped,
        manual_impl,
        krate,
        written,
    } = options;
    let actor_trait = match manual_impl {
        None => ActorTrait::Generated(Lifecycle {
            mailbox,
            started,
            stopping,
            stopped,
            written,
        }),
        Some(manual) => {
            let conflicting =
                mailbox.is_some() || started.is_some() || stopping.is_some() || stopped.is_some();
            if conflicting {
                errors.at(
                    manual,
                    "with `manual_impl` you write `impl Actor` yourself: set `MAILBOX` and the lifecycle \
                     hooks there, not on #[actor]",
                );
            }
            ActorTrait::Manual
        }
    };
    ActorDecl {
        ident: ident.clone(),
        vis: vis.clone(),
        generics: generics.clone(),
        krate,
        actor_trait,
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
    if let Some(first) = self_path.segments.first() {
        let is_parameter = item
            .generics
            .type_params()
            .any(|param| param.ident == first.ident);
        if self_path.leading_colon.is_none() && is_parameter {
            errors.at(
                &item.self_ty,
                format!(
                    "#[actor] goes on the actor's own impl block (`impl Account`, `impl<T> Cache<T>`); \
                     `{}` is a type parameter of this impl, so it would cover every type",
                    first.ident
                ),
            );
            return None;
        }
    }
    for lifetime in item.generics.lifetimes() {
        errors.at(
            lifetime,
            "an actor cannot borrow: remove the lifetime parameter (actors are `'static`)",
        );
    }
    let krate = options.krate.as_ref();
    let mut handlers = Vec::new();
    for impl_item in &mut item.items {
        match impl_item {
            ImplItem::Fn(method) => {
                let derives = options.derive.as_ref();
                if let Some(handler) = handler_def(method, &self_path, krate, derives, errors) {
                    handlers.push(handler);
                }
            }
            ImplItem::Const(item) => {
                misplaced_markers(&mut item.attrs, "an associated const", krate, errors)
            }
            ImplItem::Type(item) => {
                misplaced_markers(&mut item.attrs, "an associated type", krate, errors)
            }
            ImplItem::Macro(item) => {
                misplaced_markers(&mut item.attrs, "a macro invocation", krate, errors)
            }
            _ => {}
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

/// A marker on an impl item that is not a method: an error, and the marker is taken
/// off (it would otherwise run on its own and say #[actor] is missing).
fn misplaced_markers(
    attrs: &mut Vec<Attribute>,
    what: &str,
    krate: Option<&Path>,
    errors: &mut Errors,
) {
    attrs.retain(|attribute| {
        let Some(marker) = marker(attribute, krate) else {
            return true;
        };
        errors.at(
            attribute,
            format!(
                "#[{}] goes on a method (`fn name(&mut self, ..)`): {what} cannot handle messages; remove it",
                marker.name()
            ),
        );
        false
    });
}

/// Takes the markers off `method` and reads it as a handler, if it is marked.
fn handler_def(
    method: &mut ImplItemFn,
    self_path: &Path,
    krate: Option<&Path>,
    default_derives: Option<&Derives>,
    errors: &mut Errors,
) -> Option<HandlerDef> {
    let mut written: Option<(Marker, MethodOptions)> = None;
    let mut marker_span = proc_macro2::Span::call_site();
    let mut kept = Vec::new();
    for attribute in std::mem::take(&mut method.attrs) {
        let Some(marker) = marker(&attribute, krate) else {
            if conditional_marker(&attribute, krate) {
                errors.at(
                    &attribute,
                    "#[cfg_attr] cannot apply #[handler] or #[notify]: #[actor] reads the markers before \
                     `cfg` is evaluated; put the marker on the method and `#[cfg(..)]` beside it",
                );
                continue;
            }
            kept.push(attribute);
            continue;
        };
        match &written {
            Some((first, _)) if *first == marker => errors.at(
                &attribute,
                format!("duplicate #[{}] attribute", marker.name()),
            ),
            Some((first, _)) => errors.at(
                &attribute,
                format!(
                    "a method is either a #[handler] (answers) or a #[notify] (fire-and-forget), not both; \
                     remove #[{}] or #[{}]",
                    first.name(),
                    marker.name()
                ),
            ),
            None => {
                marker_span = attribute.pound_token.span;
                match MethodOptions::parse(&attribute, marker.name()) {
                    Ok(options) => written = Some((marker, options)),
                    Err(error) => {
                        errors.push(error);
                        // Still a handler: keep checking its shape.
                        written = Some((marker, MethodOptions::default()));
                    }
                }
            }
        }
    }
    let Some((marker, options)) = written else {
        method.attrs = kept;
        return None;
    };
    // `#[derive(..)]` on a handler (where rustc's hint for a trait missing on the
    // message type leads): refused, with the option that does it.
    let (derive_attributes, kept): (Vec<_>, Vec<_>) = kept
        .into_iter()
        .partition(|attribute| attribute.path().is_ident("derive"));
    method.attrs = kept;
    for attribute in &derive_attributes {
        let traits = attribute
            .parse_args_with(Punctuated::<Path, syn::Token![,]>::parse_terminated)
            .map(|paths| {
                let paths: Vec<String> = paths
                    .iter()
                    .map(|path| path.to_token_stream().to_string().replace(' ', ""))
                    .collect();
                paths.join(", ")
            })
            .unwrap_or_else(|_| "..".to_owned());
        errors.at(
            attribute,
            format!(
                "#[derive] does not apply to a method: to derive traits on this handler's message type, \
                 write `#[{}(derive({traits}))]`",
                marker.name()
            ),
        );
    }
    // The marker and its options, read into one of the deliveries. A refused one
    // (`#[notify(parallel)]`) is reported after the shape errors, where it always was.
    let delivery = Delivery::of(marker, &options);

    let sig = &method.sig;
    let mut ok = true;
    let mut fail = |errors: &mut Errors, tokens: &dyn quote::ToTokens, message: &str| {
        ok = false;
        errors.push(syn::Error::new_spanned(tokens.to_token_stream(), message));
    };

    if !sig.generics.params.is_empty() {
        fail(
            errors,
            &sig.generics,
            "a handler cannot be generic: its message type must be concrete; \
             put the type parameter on the actor (`impl<T> Actor<T>`) instead",
        );
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        fail(
            errors,
            where_clause,
            "a handler cannot have a `where` clause: its message is handled whenever the impl block \
             applies, so the method cannot add conditions; move the bounds to the impl block \
             (`impl<T> Actor<T> where ..`), or remove them",
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
                // `parallel` as written asks for `&self`: on a read, and on a #[notify]
                // (where it is refused too).
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
    let mut inputs = Vec::new();
    let mut has_context = false;
    // The first `Responder<R>` argument: its type, and the answer type `R` in it.
    let mut responder: Option<(&Type, &Type)> = None;
    for input in sig.inputs.iter().filter_map(typed_arg) {
        match context_use(&input.ty, self_path) {
            ContextUse::None => {}
            ContextUse::Shared => {
                if has_context {
                    fail(
                        errors,
                        &input.ty,
                        "a handler takes at most one context parameter",
                    );
                } else {
                    has_context = true;
                    inputs.push(Input::Context);
                }
                continue;
            }
            ContextUse::Wrong(message) => {
                fail(errors, &input.ty, message);
                continue;
            }
        }
        match responder_use(&input.ty) {
            ResponderUse::None => {}
            ResponderUse::Owned(answer) => {
                if responder.is_some() {
                    fail(
                        errors,
                        &input.ty,
                        "a delegating handler takes one `Responder`: it answers its caller once; \
                         remove this one",
                    );
                } else {
                    responder = Some((&input.ty, answer));
                    inputs.push(Input::Responder(syn::spanned::Spanned::span(&input.ty)));
                }
                continue;
            }
            ResponderUse::Borrowed(reference) => {
                fail(
                    errors,
                    reference,
                    "take the responder by value: `responder: Responder<R>` (answering consumes it)",
                );
                continue;
            }
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
        inputs.push(Input::Field(fields.len()));
        fields.push(Field {
            ident,
            ty: (*input.ty).clone(),
        });
    }

    let returned = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => match &**ty {
            Type::Tuple(tuple) if tuple.elems.is_empty() => None,
            ty => Some(ty),
        },
    };
    // A `Responder` makes a request handler a delegating one, which answers through it;
    // a read (answered with its return value, beside other reads) and a notification
    // (answered never) cannot take one.
    let delivery = match (responder, delivery) {
        (None, delivery) => delivery,
        (Some((argument, _)), delivery) => {
            let refused = match (marker, &options.parallel) {
                (Marker::Notify, _) => Some(
                    "a #[notify] answers nothing (its caller does not wait), so it takes no `Responder`; \
                     make it a #[handler] to answer through the responder",
                ),
                (Marker::Handler, Some(_)) => Some(
                    "a #[handler(parallel)] read answers with its return value, so it takes no \
                     `Responder`; remove `parallel` to hand the answer to the responder (a delegating \
                     handler runs alone)",
                ),
                (Marker::Handler, None) => None,
            };
            match (refused, returned) {
                (Some(message), _) => fail(errors, argument, message),
                (None, Some(returned)) => fail(
                    errors,
                    returned,
                    "a delegating handler answers through its `Responder`: remove the return type",
                ),
                (None, None) => {}
            }
            delivery.map(|_| Delivery::Delegate)
        }
    };
    let output = match responder {
        Some((_, answer)) => Some(answer),
        None => returned,
    };
    let output = output.and_then(|ty| {
        let mistake = match ty {
            Type::ImplTrait(_) => Some((
                ty.to_token_stream(),
                format!(
                    "a handler {} a concrete type: the answer travels back through a channel; \
                     name the type instead of `impl Trait`",
                    if responder.is_some() {
                        "answers with"
                    } else {
                        "returns"
                    }
                ),
            )),
            ty => borrowed_type(ty, "an answer"),
        };
        match mistake {
            Some((tokens, message)) => {
                fail(errors, &tokens, &message);
                None
            }
            None => Some(ty.clone()),
        }
    });

    let message = options
        .message
        .clone()
        .unwrap_or_else(|| message_name(&sig.ident));
    let carried = Carried::read(&method.attrs);
    let derives = options
        .derive
        .as_ref()
        .or(default_derives)
        .map(|derives| derives.traits.clone())
        .unwrap_or_default();
    let delivery = delivery.map_err(|error| errors.push(error)).ok()?;
    ok.then(|| HandlerDef {
        delivery,
        method: sig.ident.clone(),
        message,
        vis: method.vis.clone(),
        carried,
        derives,
        tag: options.tag.clone(),
        marker_span,
        is_async: sig.asyncness.is_some(),
        fields,
        inputs,
        output,
        sig: sig.clone(),
    })
}

/// How an argument type uses a `Responder`.
enum ResponderUse<'a> {
    /// It does not: a message field (or the context).
    None,
    /// `Responder<R>`: the delegating handler's responder, answering `R`.
    Owned(&'a Type),
    /// `&Responder<R>` or `&mut Responder<R>`: the reference.
    Borrowed(&'a Type),
}

/// Recognises the responder by its type's last path segment, `Responder`, with one
/// type argument (`Responder<R>`, `messages::Responder<R>`). Another type named
/// `Responder` (without exactly one type argument) is an ordinary message field.
fn responder_use(ty: &Type) -> ResponderUse<'_> {
    match ty {
        Type::Paren(paren) => responder_use(&paren.elem),
        Type::Group(group) => responder_use(&group.elem),
        Type::Reference(reference) => match responder_use(&reference.elem) {
            ResponderUse::None => ResponderUse::None,
            ResponderUse::Owned(_) | ResponderUse::Borrowed(_) => ResponderUse::Borrowed(ty),
        },
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return ResponderUse::None;
            };
            let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
                return ResponderUse::None;
            };
            match (
                last.ident == "Responder",
                arguments.args.len(),
                arguments.args.first(),
            ) {
                (true, 1, Some(syn::GenericArgument::Type(answer))) => ResponderUse::Owned(answer),
                _ => ResponderUse::None,
            }
        }
        _ => ResponderUse::None,
    }
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

/// How an argument type uses the actor's context.
enum ContextUse {
    /// It does not: a message field.
    None,
    /// `&Context<Self>`: the context parameter.
    Shared,
    /// The context, taken in a way the handler cannot get it.
    Wrong(&'static str),
}

/// Recognises the actor's context by what it is: a type named `Context` (`Context`,
/// `messages::Context`, ..) whose one parameter is the actor (`Self`, or the actor's
/// name with the impl's arguments). A `Context` with no parameter or another one
/// (`opentelemetry::Context`) is an ordinary message field.
fn context_use(ty: &Type, actor: &Path) -> ContextUse {
    const SHARED: &str = "take the context by shared reference: `ctx: &Context<Self>`";
    match ty {
        Type::Reference(reference) if is_actor_context(&reference.elem, actor) => {
            if reference.mutability.is_some() {
                ContextUse::Wrong(
                    "take the context by shared reference: `ctx: &Context<Self>`, not `&mut`",
                )
            } else {
                ContextUse::Shared
            }
        }
        ty if is_actor_context(ty, actor) => ContextUse::Wrong(SHARED),
        ty if contains_actor_context(ty, actor) => ContextUse::Wrong(
            "the context is lent to the handler for one message, it cannot be wrapped: \
             take it as `ctx: &Context<Self>`",
        ),
        Type::Paren(paren) => context_use(&paren.elem, actor),
        Type::Group(group) => context_use(&group.elem, actor),
        _ => ContextUse::None,
    }
}

/// `Context<Self>`, `Context<Account>`, `messages::Context<Cache<K, V>>`...
fn is_actor_context(ty: &Type, actor: &Path) -> bool {
    let ty = match ty {
        Type::Paren(paren) => &*paren.elem,
        Type::Group(group) => &*group.elem,
        ty => ty,
    };
    let Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if path.qself.is_some() || last.ident != "Context" {
        return false;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return false;
    };
    match (arguments.args.len(), arguments.args.first()) {
        (1, Some(syn::GenericArgument::Type(parameter))) => is_actor(parameter, actor),
        _ => false,
    }
}

/// `Self`, or the actor's type as the impl block names it (its last segment with the
/// same arguments: `Account`, `Cache<K, V>`, `super::Account`).
fn is_actor(ty: &Type, actor: &Path) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    if path.qself.is_some() {
        return false;
    }
    if path.path.is_ident("Self") {
        return true;
    }
    let (Some(written), Some(own)) = (path.path.segments.last(), actor.segments.last()) else {
        return false;
    };
    let arguments = |segment: &syn::PathSegment| segment.arguments.to_token_stream().to_string();
    written.ident == own.ident && arguments(written) == arguments(own)
}

/// The actor's context anywhere inside `ty` (`Box<Context<Self>>`, `Option<&Context<Self>>`).
fn contains_actor_context(ty: &Type, actor: &Path) -> bool {
    use syn::visit::Visit;
    struct Find<'a> {
        actor: &'a Path,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Find<'_> {
        fn visit_type(&mut self, ty: &'ast Type) {
            if is_actor_context(ty, self.actor) {
                self.found = true;
            } else {
                syn::visit::visit_type(self, ty);
            }
        }
    }
    let mut find = Find {
        actor,
        found: false,
    };
    find.visit_type(ty);
    find.found
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
            Type::Path(path)
                if path
                    .path
                    .segments
                    .last()
                    .is_some_and(|segment| segment.ident == "Context") =>
            {
                "; if this is meant to be the actor's context, it is `&Context<Self>`: \
                 a handler gets its own actor's context only"
            }
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
