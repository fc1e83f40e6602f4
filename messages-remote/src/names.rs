//! Which names can name an actor (or a namespace): the engines reserve a few
//! characters in their keys and subjects.

use crate::RemoteError;

/// Whether `name` can be part of a key: non-empty, none of `/ * $ # ? >` or spaces.
pub(crate) fn is_valid(name: &str) -> bool {
    !name.is_empty()
        && !name.chars().any(|c| {
            matches!(c, '/' | '*' | '$' | '#' | '?' | '>' | '.')
                || c.is_whitespace()
                || c.is_control()
        })
}

/// `name`, checked.
pub(crate) fn check(name: &str) -> Result<(), RemoteError> {
    if is_valid(name) {
        Ok(())
    } else {
        Err(RemoteError::InvalidName(name.to_owned()))
    }
}
