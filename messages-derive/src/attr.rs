//! The options of `#[actor(...)]`, `#[handler(...)]` and `#[notify(...)]`, parsed
//! strictly: an unknown or repeated option is an error that names the valid ones,
//! spanned on the offending key.

use std::num::NonZeroUsize;

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::{Ident, Path};

/// Options of `#[actor(...)]` on a struct or enum.
#[derive(Default)]
pub(crate) struct StructOptions {
    pub(crate) mailbox: Option<MailboxOption>,
    pub(crate) started: Option<Ident>,
    pub(crate) stopping: Option<Ident>,
    pub(crate) stopped: Option<Ident>,
    /// `manual_impl`: the user writes `impl Actor` by hand.
    pub(crate) manual_impl: Option<Ident>,
    pub(crate) krate: Option<Path>,
    /// Where the options are written (their first and last tokens), if any.
    pub(crate) written: Option<(Span, Span)>,
}

/// The mailbox chosen on the attribute.
pub(crate) enum MailboxOption {
    Capacity(NonZeroUsize),
    Unbounded,
}

/// Options of `#[actor(...)]` on an impl block.
#[derive(Default)]
pub(crate) struct ImplOptions {
    pub(crate) krate: Option<Path>,
    /// `module = name`: the generated message module's name (default: the actor's
    /// name in `snake_case`).
    pub(crate) module: Option<Ident>,
    /// `derive(Trait, ..)`: the traits derived on every message type of the block,
    /// unless a method gives its own list.
    pub(crate) derive: Option<Derives>,
    /// `remote`: the block's messages can cross processes (`messages-remote`).
    pub(crate) remote: Option<Ident>,
}

/// Options of `#[handler(...)]` / `#[notify(...)]`.
#[derive(Default)]
pub(crate) struct MethodOptions {
    /// `message = Name`: the generated message type's name.
    pub(crate) message: Option<Ident>,
    /// `parallel`: a `&self` handler that runs concurrently with other parallel ones.
    pub(crate) parallel: Option<Ident>,
    /// `derive(Trait, ..)`: the traits derived on this message type, instead of the
    /// impl block's list.
    pub(crate) derive: Option<Derives>,
    /// `tag = ".."`: the message's stable name on the wire, with `#[actor(remote)]`.
    pub(crate) tag: Option<syn::LitStr>,
}

/// `derive(Trait, ..)`: the traits to derive on generated message types, as written.
#[derive(Clone)]
pub(crate) struct Derives {
    pub(crate) traits: Vec<Path>,
}

const STRUCT_KEYS: &str = "`capacity = N`, `unbounded`, `started = method`, `stopping = method`, `stopped = method`, `manual_impl`, `crate = path`";
const IMPL_KEYS: &str = "`module = name`, `derive(Trait, ..)`, `remote`, `crate = path`";
const METHOD_KEYS: &str = "`message = Name`, `parallel`, `derive(Trait, ..)`, `tag = \"..\"`";
const STRUCT_ONLY: &[&str] = &[
    "capacity",
    "unbounded",
    "started",
    "stopping",
    "stopped",
    "manual_impl",
];

impl StructOptions {
    pub(crate) fn parse(args: TokenStream) -> syn::Result<Self> {
        let mut options = Self::default();
        let mut spans = args.clone().into_iter().map(|token| token.span());
        options.written = spans
            .next()
            .map(|first| (first, spans.last().unwrap_or(first)));
        let parser = syn::meta::parser(|meta| {
            let key = key_of(&meta)?;
            match key.to_string().as_str() {
                "capacity" => {
                    reject_second_mailbox(options.mailbox.as_ref(), &key)?;
                    let capacity = capacity(&meta, &key)?;
                    options.mailbox = Some(MailboxOption::Capacity(capacity));
                }
                "unbounded" => {
                    reject_second_mailbox(options.mailbox.as_ref(), &key)?;
                    flag(&meta, &key)?;
                    options.mailbox = Some(MailboxOption::Unbounded);
                }
                "started" => set_ident(&meta, &key, &mut options.started, "a method name")?,
                "stopping" => set_ident(&meta, &key, &mut options.stopping, "a method name")?,
                "stopped" => set_ident(&meta, &key, &mut options.stopped, "a method name")?,
                "manual_impl" => {
                    reject_duplicate(&options.manual_impl, &key, "`manual_impl`")?;
                    flag(&meta, &key)?;
                    options.manual_impl = Some(key);
                }
                "crate" => set_path(&meta, &key, &mut options.krate)?,
                "derive" => {
                    return Err(syn::Error::new_spanned(
                        &key,
                        "`derive(..)` on #[actor] derives traits on the generated message types: put it on \
                         the `#[actor]` impl block (every message) or on a #[handler] / #[notify] (one \
                         message); to derive on the actor itself, write `#[derive(..)]` on the struct",
                    ));
                }
                _ => return Err(unknown(&key, "#[actor] on a struct or enum", STRUCT_KEYS)),
            }
            Ok(())
        });
        syn::parse::Parser::parse2(parser, args)?;
        Ok(options)
    }
}

impl ImplOptions {
    pub(crate) fn parse(args: TokenStream) -> syn::Result<Self> {
        let mut options = Self::default();
        let parser = syn::meta::parser(|meta| {
            let key = key_of(&meta)?;
            let name = key.to_string();
            match name.as_str() {
                "crate" => set_path(&meta, &key, &mut options.krate)?,
                "module" => {
                    reject_duplicate(&options.module, &key, "the message module's name")?;
                    options.module = Some(single_ident(&meta, &key, "a module name")?);
                }
                "derive" => options.derive = Some(derives(&meta, &key, options.derive.is_some())?),
                "remote" => {
                    reject_duplicate(&options.remote, &key, "`remote`")?;
                    flag(&meta, &key)?;
                    options.remote = Some(key);
                }
                _ if STRUCT_ONLY.contains(&name.as_str()) => {
                    return Err(syn::Error::new_spanned(
                        &key,
                        format!(
                            "`{name}` belongs on the actor's declaration: `#[actor({name} ..)] struct ..`; \
                             on an impl block #[actor] accepts only {IMPL_KEYS}"
                        ),
                    ));
                }
                _ => return Err(unknown(&key, "#[actor] on an impl block", IMPL_KEYS)),
            }
            Ok(())
        });
        syn::parse::Parser::parse2(parser, args)?;
        Ok(options)
    }
}

impl MethodOptions {
    /// Parses the arguments of one `#[handler]` / `#[notify]` attribute.
    pub(crate) fn parse(attribute: &syn::Attribute, marker: &str) -> syn::Result<Self> {
        let mut options = Self::default();
        if matches!(attribute.meta, syn::Meta::Path(_)) {
            return Ok(options);
        }
        attribute.parse_nested_meta(|meta| {
            let key = key_of(&meta)?;
            match key.to_string().as_str() {
                "message" => set_ident(&meta, &key, &mut options.message, "a type name")?,
                "parallel" => {
                    reject_duplicate(&options.parallel, &key, "`parallel`")?;
                    flag(&meta, &key)?;
                    options.parallel = Some(key);
                }
                "derive" => options.derive = Some(derives(&meta, &key, options.derive.is_some())?),
                "tag" => {
                    reject_duplicate(&options.tag, &key, "the message's tag")?;
                    let value = meta.value().map_err(|_| {
                        syn::Error::new_spanned(
                            &key,
                            "expected `tag = \"..\"`: the message's name on the wire",
                        )
                    })?;
                    options.tag = Some(value.parse::<syn::LitStr>().map_err(|error| {
                        syn::Error::new(
                            error.span(),
                            "expected a string literal: `tag = \"Calc::Add\"`",
                        )
                    })?);
                }
                _ => return Err(unknown(&key, &format!("#[{marker}]"), METHOD_KEYS)),
            }
            Ok(())
        })?;
        Ok(options)
    }
}

/// The option's key as an identifier (`crate` included).
fn key_of(meta: &ParseNestedMeta<'_>) -> syn::Result<Ident> {
    match meta.path.get_ident() {
        Some(ident) => Ok(ident.clone()),
        None if meta.path.is_ident("crate") => Ok(Ident::new("crate", Span::call_site())),
        None => match (meta.path.segments.len(), meta.path.segments.first()) {
            (1, Some(segment)) => Ok(segment.ident.clone()),
            _ => Err(syn::Error::new_spanned(
                &meta.path,
                "expected an option name, not a path",
            )),
        },
    }
}

fn unknown(key: &Ident, place: &str, valid: &str) -> syn::Error {
    syn::Error::new_spanned(
        key,
        format!("unknown option `{key}` for {place}; expected one of: {valid}"),
    )
}

fn reject_duplicate<T>(slot: &Option<T>, key: &Ident, what: &str) -> syn::Result<()> {
    match slot {
        Some(_) => Err(syn::Error::new_spanned(
            key,
            format!("duplicate option `{key}`: {what} is already set"),
        )),
        None => Ok(()),
    }
}

/// `capacity` and `unbounded` both choose the mailbox: one of them, once.
fn reject_second_mailbox(mailbox: Option<&MailboxOption>, key: &Ident) -> syn::Result<()> {
    let message = match mailbox {
        None => return Ok(()),
        Some(MailboxOption::Capacity(_)) if key == "capacity" => "duplicate option `capacity`",
        Some(MailboxOption::Unbounded) if key == "unbounded" => "duplicate option `unbounded`",
        Some(_) => "`capacity` and `unbounded` both choose the mailbox: keep one of them",
    };
    Err(syn::Error::new_spanned(key, message))
}

/// `capacity = N`: a positive integer literal that fits a `usize`.
fn capacity(meta: &ParseNestedMeta<'_>, key: &Ident) -> syn::Result<NonZeroUsize> {
    const EXPECTED: &str = "expected `capacity = N`, a whole number of messages written as a literal, e.g. `capacity = 64`";
    let value = meta
        .value()
        .map_err(|_| syn::Error::new_spanned(key, EXPECTED))?;
    // An expression, so `-1` and `SIZE` are read whole and refused with one message.
    let expr: syn::Expr = value.parse()?;
    let literal = match &expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(literal),
            ..
        }) => literal,
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            ..
        }) => {
            return Err(syn::Error::new_spanned(
                &expr,
                "a mailbox holds at least one message: use `capacity = 1` or more, or `unbounded`",
            ));
        }
        _ => return Err(syn::Error::new_spanned(&expr, EXPECTED)),
    };
    let capacity: usize = literal.base10_parse().map_err(|_| {
        syn::Error::new_spanned(
            literal,
            format!(
                "`capacity = {}` does not fit in a `usize`: use a smaller bound, or `unbounded`",
                literal.base10_digits()
            ),
        )
    })?;
    NonZeroUsize::new(capacity).ok_or_else(|| {
        syn::Error::new_spanned(
            literal,
            "a mailbox holds at least one message: use `capacity = 1` or more, or `unbounded`",
        )
    })
}

/// `key = name`: one identifier, not a string, a path or an expression.
fn single_ident(meta: &ParseNestedMeta<'_>, key: &Ident, what: &str) -> syn::Result<Ident> {
    let expected = format!("expected `{key} = name`: {what}, without quotes");
    let value = meta
        .value()
        .map_err(|_| syn::Error::new_spanned(key, &expected))?;
    let expr: syn::Expr = value
        .parse()
        .map_err(|error| syn::Error::new(error.span(), &expected))?;
    match &expr {
        syn::Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => {
            path.path.get_ident().cloned().ok_or_else(|| {
                syn::Error::new_spanned(
                    &expr,
                    format!("expected `{key} = name`: {what}, a single identifier, not a path"),
                )
            })
        }
        _ => Err(syn::Error::new_spanned(&expr, expected)),
    }
}

/// `derive(Trait, ..)`: trait paths in parentheses, each once; `derive()` is an empty
/// list.
fn derives(meta: &ParseNestedMeta<'_>, key: &Ident, repeated: bool) -> syn::Result<Derives> {
    const EXPECTED: &str = "expected `derive(Trait, ..)`: the traits to derive on the message type, \
                            in parentheses, e.g. `derive(Clone, Debug)`";
    const EXPECTED_TRAIT: &str = "expected a trait to derive, as a path (`Clone`, `serde::Serialize`), \
                                  the traits separated by commas";
    if repeated {
        return Err(syn::Error::new_spanned(
            key,
            "duplicate option `derive`: list every trait in one `derive(..)`",
        ));
    }
    if !meta.input.peek(syn::token::Paren) {
        return Err(syn::Error::new_spanned(key, EXPECTED));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let mut traits: Vec<Path> = Vec::new();
    while !content.is_empty() {
        let path = content
            .call(Path::parse_mod_style)
            .map_err(|error| syn::Error::new(error.span(), EXPECTED_TRAIT))?;
        if !content.is_empty() && !content.peek(syn::Token![,]) {
            return Err(syn::Error::new(content.span(), EXPECTED_TRAIT));
        }
        let written = path_text(&path);
        if traits.iter().any(|known| path_text(known) == written) {
            return Err(syn::Error::new_spanned(
                &path,
                format!("`{written}` is listed twice in `derive(..)`: keep one"),
            ));
        }
        traits.push(path);
        if !content.is_empty() {
            content.parse::<syn::Token![,]>()?;
        }
    }
    Ok(Derives { traits })
}

/// `serde :: Serialize` -> `serde::Serialize`.
fn path_text(path: &Path) -> String {
    quote::ToTokens::to_token_stream(path)
        .to_string()
        .replace(' ', "")
}

/// A bare flag: `unbounded`, not `unbounded = ..`.
fn flag(meta: &ParseNestedMeta<'_>, key: &Ident) -> syn::Result<()> {
    if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
        Ok(())
    } else {
        Err(syn::Error::new_spanned(
            key,
            format!("`{key}` is a flag and takes no value: write `{key}` alone"),
        ))
    }
}

fn set_ident(
    meta: &ParseNestedMeta<'_>,
    key: &Ident,
    slot: &mut Option<Ident>,
    what: &str,
) -> syn::Result<()> {
    reject_duplicate(slot, key, &format!("`{key}`"))?;
    *slot = Some(single_ident(meta, key, what)?);
    Ok(())
}

fn set_path(meta: &ParseNestedMeta<'_>, key: &Ident, slot: &mut Option<Path>) -> syn::Result<()> {
    reject_duplicate(slot, key, "`crate`")?;
    const EXPECTED: &str =
        "expected `crate = path`, a path without quotes, e.g. `crate = my_messages`";
    let value = meta
        .value()
        .map_err(|_| syn::Error::new_spanned(key, EXPECTED))?;
    let path =
        Path::parse_mod_style(value).map_err(|error| syn::Error::new(error.span(), EXPECTED))?;
    *slot = Some(path);
    Ok(())
}
