//! The serving side: an actor published under a name, whose node takes requests and
//! notifications off the wire, in the order they came, and queues them to the actor:
//! straight from the engine's callback while the actor's mailbox has room, through
//! an ordered backlog once it has not (drained in the actor's thread as it frees
//! room).

use std::sync::Arc;

use messages::{Address, SendError};
use tokio::sync::watch;

use crate::contain::Contained;
use crate::engine::{Job, Replier, Session};
use crate::node::Settings;
use crate::ordered::Ordered;
use crate::remote::Served;
use crate::wire::{self, Answer, Failure};
use crate::{Remote, RemoteError};

/// Publishes `address` as `name`: serves its messages (its backlog drained where the
/// drainer is woken, see [`Ordered`]), announces it, and starts the task that, when
/// the actor stops or the node closes, says why and withdraws the name.
pub(crate) async fn publish<A: Remote>(
    session: Session,
    settings: Settings,
    name: String,
    address: Address<A>,
    closing: watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<()>, RemoteError> {
    let ask_for = settings
        .lookup_timeout
        .min(std::time::Duration::from_millis(500));
    if session.is_published(&name, ask_for).await? {
        return Err(RemoteError::NameTaken(name));
    }
    let intake = Arc::new(Intake {
        address,
        ordered: Ordered::new(),
        replies: session.blocking_runtime(),
    });
    // The backlog is drained where its drainer is woken: in the actor's thread as it
    // frees room in its mailbox, or where work is handed in. No task, and no thread,
    // stands between the node and the actor, even once the actor has fallen behind.
    // Draining before the first message can come.
    let (ended, ending) = tokio::sync::oneshot::channel();
    let draining = Arc::clone(&intake);
    crate::inline::run(Box::pin(async move {
        let reason = drain(&draining, closing).await;
        // What comes after is dropped (a request unanswered: its caller is told by
        // the name's end).
        draining.ordered.close();
        let _ = ended.send(reason);
    }));
    let taking = Arc::clone(&intake);
    let serving = async {
        let served = session
            .serve(&name, Arc::new(move |job| taking.take(job)))
            .await?;
        let announced = session.announce(&name).await?;
        Ok::<_, RemoteError>((served, announced))
    };
    let (served, announced) = match serving.await {
        Ok(serving) => serving,
        Err(error) => {
            // Nothing will be served: the drainer ends, and lets go of the address.
            intake.ordered.close();
            return Err(error);
        }
    };
    Ok(tokio::spawn(async move {
        let reason = ending.await.ok().flatten();
        // Why it stopped goes out before the name is withdrawn: a remote address that
        // sees the name go knows the reason already (or soon after).
        if let Some(reason) = reason {
            if let Ok(bytes) = wire::encode(&wire::Stopped::from(&reason)) {
                let publication = announced.publication().to_owned();
                session.tell_stopped(&name, &publication, bytes).await;
            }
        }
        announced.withdraw();
        drop(served);
    }))
}

/// Where the engine hands a published actor's messages.
struct Intake<A: Remote> {
    address: Address<A>,
    /// Served at once while the actor's mailbox has room and nothing waits before.
    ordered: Ordered,
    /// Where replies are sent when they may block their thread (Zenoh's), never
    /// the actor's thread nor the engine's callback; `None`: where they are given.
    replies: Option<tokio::runtime::Handle>,
}

impl<A: Remote> Intake<A> {
    fn take(&self, job: Job) {
        let serving = serve(self.address.clone(), job, self.replies.clone());
        self.ordered.run(Box::pin(serving));
    }
}

/// Drains the backlog until the actor stops (its reason) or the node closes (`None`,
/// unless the actor has stopped by then).
async fn drain<A: Remote>(
    intake: &Intake<A>,
    mut closing: watch::Receiver<bool>,
) -> Option<messages::StopReason> {
    let stopped = intake.address.wait_for_stop();
    // Made once, not per piece: a piece may be one message of a flood.
    let closed = async move { drop(closing.wait_for(|closing| *closing).await) };
    tokio::pin!(stopped, closed);
    loop {
        tokio::select! {
            biased;
            () = &mut closed => {
                // Closing: an actor that has stopped still says why.
                return intake.address.stop_reason();
            }
            work = intake.ordered.next() => {
                // A piece may wait long for room (an actor that has stalled): the node
                // closing does not wait for it.
                let work = work?;
                tokio::select! {
                    biased;
                    () = &mut closed => return intake.address.stop_reason(),
                    () = work => {}
                }
            }
            reason = &mut stopped => return Some(reason),
        }
    }
}

/// Serves one message: queues it to the actor; a request is answered once its
/// answer is there (sent on by whoever gives it: the next message is served
/// meanwhile). A panic in user code (a `Deserialize`, a hand-written `Remote`) fails
/// that message only: a request is answered `Panicked`.
async fn serve<A: Remote>(address: Address<A>, job: Job, replies: Option<tokio::runtime::Handle>) {
    match job {
        Job::Request(payload, replier) => {
            match Contained::new(serve_frame(&address, &payload)).await {
                Ok(Ok(Some(answer))) => {
                    // Sent on in the thread that gives the answer (the actor's),
                    // unless sending may block it: then from the engine's runtime
                    // for sends (see `reply`).
                    crate::inline::run(Box::pin(async move {
                        // The answer's `Serialize` is user code too.
                        let answer = Contained::new(answer)
                            .await
                            .unwrap_or(Err(SendError::Panicked));
                        let answer = match &answer {
                            Ok(value) => Answer::Value(value),
                            Err(error) => Answer::Failed((*error).into()),
                        };
                        reply(replier, &answer, replies.as_ref()).await;
                    }));
                }
                Ok(Ok(None)) => reply(replier, &Answer::Value(&[]), replies.as_ref()).await,
                Ok(Err(failure)) => {
                    reply(replier, &Answer::Failed(failure), replies.as_ref()).await;
                }
                Err(()) => {
                    let panicked = Answer::Failed(Failure::Panicked);
                    reply(replier, &panicked, replies.as_ref()).await;
                }
            }
        }
        Job::Notification(bytes) => {
            // At most once: one that does not decode, or panics decoding, is dropped.
            let _ = Contained::new(serve_frame(&address, &bytes)).await;
        }
    }
}

/// Sends `answer`: on `replies` if given (the send may block its thread), else here.
async fn reply(replier: Replier, answer: &Answer<'_>, replies: Option<&tokio::runtime::Handle>) {
    let bytes = wire::answer(answer);
    match replies {
        Some(runtime) => drop(runtime.spawn(replier.reply(bytes))),
        None => replier.reply(bytes).await,
    }
}

/// Serves the frame in `bytes`: queues its message to the actor (or stops or kills
/// it), handing back the future of a request's answer.
async fn serve_frame<A: Remote>(
    address: &Address<A>,
    bytes: &[u8],
) -> Result<Option<crate::remote::AnswerFuture>, Failure> {
    let frame = wire::read_frame(bytes)?;
    match frame.tag {
        wire::STOP_TAG => {
            address.stop().await;
            Ok(None)
        }
        wire::KILL_TAG => {
            address.kill();
            Ok(None)
        }
        wire::DESCRIBE_TAG => {
            let tags = wire::encode(&A::tags());
            Ok(Some(Box::pin(async move { tags })))
        }
        tag => match A::serve(tag, frame.payload, address) {
            Some(serving) => {
                let Served(served) = serving.await;
                served
            }
            None => Err(Failure::Malformed),
        },
    }
}
