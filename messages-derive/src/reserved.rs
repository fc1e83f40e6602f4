// The names a handler cannot take: the typed address (or the actor type) already has
// them, and a generated method of the same name would hide them silently.
//
// Plain `//` comments only: `tests/tests/suite/macros/reserved_names.rs` `include!`s this file
// and checks `ADDRESS_METHODS` against the runtime's source (every `pub` method of an
// inherent `impl .. Address<..>` and of a public trait implemented for `Address`), so a
// new `Address` method that is not listed here fails that test. The typed address's own
// methods are checked against the real expansion by a unit test of this crate.

/// The methods of `Address`, which the typed address dereferences to.
pub(crate) const ADDRESS_METHODS: &[&str] = &[
    "calculate",
    "clone",
    "clone_from",
    "connected",
    "downgrade",
    "eq",
    "fmt",
    "forward",
    "hash",
    "hash_slice",
    "id",
    "into_stream_forwarder",
    "kill",
    "ne",
    "notify",
    "notify_priority",
    "notify_recipient",
    "read",
    "recipient",
    "send",
    "shutdown",
    "spawn_stream_forwarder",
    "stop",
    "stop_reason",
    "try_notify",
    "try_read",
    "try_send",
    "typed",
    "wait_for_stop",
];

/// The typed address's own methods (with the trait they come from): `into_inner`, its
/// trait impls, and the conversions every type with those impls gets from the prelude.
pub(crate) const TYPED_ADDRESS_METHODS: &[(&str, &str)] = &[
    ("into_inner", "the typed address's `into_inner`"),
    ("clone", "`Clone::clone`"),
    ("clone_from", "`Clone::clone_from`"),
    ("fmt", "`Debug::fmt`"),
    ("eq", "`PartialEq::eq`"),
    ("ne", "`PartialEq::ne`"),
    ("assert_receiver_is_total_eq", "`Eq`'s method"),
    ("hash", "`Hash::hash`"),
    ("hash_slice", "`Hash::hash_slice`"),
    ("deref", "`Deref::deref`"),
    ("from", "`From::from`"),
    ("into", "`Into::into`"),
    ("try_from", "`TryFrom::try_from`"),
    ("try_into", "`TryInto::try_into`"),
    ("to_owned", "`ToOwned::to_owned`"),
    ("clone_into", "`ToOwned::clone_into`"),
];

/// Functions `#[actor]` on the declaration adds to the actor type itself.
pub(crate) const ACTOR_FUNCTIONS: &[&str] = &[
    "spawn",
    "spawn_on",
    "spawn_supervised",
    "spawn_supervised_on",
    "prepare",
];

/// What a handler named `name` would hide on the typed address, if anything.
pub(crate) fn hidden_by(name: &str) -> Option<String> {
    if let Some((_, origin)) = TYPED_ADDRESS_METHODS
        .iter()
        .find(|(method, _)| *method == name)
    {
        return Some(origin.to_string());
    }
    ADDRESS_METHODS
        .contains(&name)
        .then(|| format!("`Address::{name}`"))
}
