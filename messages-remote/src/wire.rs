//! The wire format: every message crosses as a [`Frame`] (protocol version, the
//! message's stable tag, its postcard bytes); every answer as an [`Answer`].

use messages::SendError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The protocol version this build speaks. A frame of another version is refused
/// with [`Failure::Malformed`], never guessed at.
pub(crate) const VERSION: u8 = 1;

/// A message on its way to an actor.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Frame<'a> {
    pub(crate) version: u8,
    /// The message's stable tag (`Calc::Add` unless renamed with `tag = ".."`).
    pub(crate) tag: &'a str,
    /// The message, postcard-encoded.
    pub(crate) payload: &'a [u8],
}

/// What comes back for a request.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Answer<'a> {
    /// The handler's answer, postcard-encoded.
    Value(&'a [u8]),
    /// Why no answer comes.
    Failed(Failure),
}

/// Why a request got no answer, as it crosses the wire: the [`SendError`]s a serving
/// node can report. (Its own enum, so the wire does not change with `SendError`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Failure {
    Stopped,
    Unanswered,
    Panicked,
    WouldDeadlock,
    Timeout,
    /// A frame or payload that could not be read, an unknown tag, another version.
    Malformed,
    /// No actor of that name on the node (any more).
    NotFound,
}

impl From<SendError> for Failure {
    fn from(error: SendError) -> Self {
        match error {
            SendError::Stopped => Failure::Stopped,
            SendError::Panicked => Failure::Panicked,
            SendError::WouldDeadlock => Failure::WouldDeadlock,
            SendError::Timeout => Failure::Timeout,
            SendError::Malformed => Failure::Malformed,
            // `Unanswered`, `Unreachable` (an actor the serving node reaches through
            // yet another node, gone) and whatever `SendError` gains later.
            _ => Failure::Unanswered,
        }
    }
}

impl From<Failure> for SendError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Stopped | Failure::NotFound => SendError::Stopped,
            Failure::Unanswered => SendError::Unanswered,
            Failure::Panicked => SendError::Panicked,
            Failure::WouldDeadlock => SendError::WouldDeadlock,
            Failure::Timeout => SendError::Timeout,
            Failure::Malformed => SendError::Malformed,
        }
    }
}

/// `value` in postcard.
pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, SendError> {
    postcard::to_allocvec(value).map_err(|_| SendError::Malformed)
}

/// A `T` from postcard bytes; anything else (truncated, hostile, another type) is
/// [`SendError::Malformed`].
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, SendError> {
    postcard::from_bytes(bytes).map_err(|_| SendError::Malformed)
}

/// A frame around `payload`, encoded.
pub(crate) fn frame(tag: &str, payload: &[u8]) -> Result<Vec<u8>, SendError> {
    encode(&Frame {
        version: VERSION,
        tag,
        payload,
    })
}

/// The frame in `bytes`, when it is one of this version.
pub(crate) fn read_frame(bytes: &[u8]) -> Result<Frame<'_>, Failure> {
    let frame: Frame<'_> = postcard::from_bytes(bytes).map_err(|_| Failure::Malformed)?;
    if frame.version != VERSION {
        return Err(Failure::Malformed);
    }
    Ok(frame)
}

/// An answer, encoded.
pub(crate) fn answer(answer: &Answer<'_>) -> Vec<u8> {
    // An `Answer` holds bytes and a unit enum: postcard cannot fail on it.
    postcard::to_allocvec(answer).unwrap_or_default()
}

/// The answer in `bytes`: the handler's encoded value, or why there is none.
pub(crate) fn read_answer(bytes: &[u8]) -> Result<&[u8], SendError> {
    match postcard::from_bytes::<Answer<'_>>(bytes) {
        Ok(Answer::Value(value)) => Ok(value),
        Ok(Answer::Failed(failure)) => Err(failure.into()),
        Err(_) => Err(SendError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips_and_another_version_is_refused() {
        let bytes = frame("Calc::Add", &[1, 2, 3]).unwrap();
        let read = read_frame(&bytes).unwrap();
        assert_eq!((read.tag, read.payload), ("Calc::Add", &[1, 2, 3][..]));
        let other = encode(&Frame {
            version: VERSION + 1,
            tag: "Calc::Add",
            payload: &[],
        })
        .unwrap();
        assert_eq!(read_frame(&other).unwrap_err(), Failure::Malformed);
        assert_eq!(
            read_frame(&bytes[..bytes.len() - 1]).unwrap_err(),
            Failure::Malformed
        );
    }

    #[test]
    fn answers_round_trip() {
        assert_eq!(read_answer(&answer(&Answer::Value(&[9]))), Ok(&[9][..]));
        let failed = answer(&Answer::Failed(Failure::Panicked));
        assert_eq!(read_answer(&failed), Err(SendError::Panicked));
        assert_eq!(read_answer(&[0xff, 0xff]), Err(SendError::Malformed));
    }
}

/// Why a published actor stopped, as it crosses the wire (its own enum, as
/// [`Failure`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Stopped {
    Requested,
    AddressesDropped,
    Panicked(String),
    Killed,
    TooManyRestarts(Box<Stopped>),
    Cancelled,
    Unreachable,
}

impl From<&messages::StopReason> for Stopped {
    fn from(reason: &messages::StopReason) -> Self {
        use messages::StopReason;
        match reason {
            StopReason::Requested => Stopped::Requested,
            StopReason::AddressesDropped => Stopped::AddressesDropped,
            StopReason::Panicked(message) => Stopped::Panicked(message.clone()),
            StopReason::Killed => Stopped::Killed,
            StopReason::TooManyRestarts(last) => {
                Stopped::TooManyRestarts(Box::new(Stopped::from(&**last)))
            }
            StopReason::Cancelled => Stopped::Cancelled,
            _ => Stopped::Unreachable,
        }
    }
}

impl From<Stopped> for messages::StopReason {
    fn from(stopped: Stopped) -> Self {
        use messages::StopReason;
        match stopped {
            Stopped::Requested => StopReason::Requested,
            Stopped::AddressesDropped => StopReason::AddressesDropped,
            Stopped::Panicked(message) => StopReason::Panicked(message),
            Stopped::Killed => StopReason::Killed,
            Stopped::TooManyRestarts(last) => StopReason::TooManyRestarts(Box::new((*last).into())),
            Stopped::Cancelled => StopReason::Cancelled,
            Stopped::Unreachable => StopReason::Unreachable,
        }
    }
}

/// The tags of the control frames a remote address sends: a stop (queued, in order
/// with the messages), a kill, and the request a lookup makes for the tags the
/// published actor serves. Tags of messages never start with `$`.
pub(crate) const STOP_TAG: &str = "$stop";
pub(crate) const KILL_TAG: &str = "$kill";
pub(crate) const DESCRIBE_TAG: &str = "$describe";
