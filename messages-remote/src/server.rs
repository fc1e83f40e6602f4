//! The serving side: an actor published under a name, whose node takes requests and
//! notifications off the wire, in the order they came, and queues them to the actor.

use messages::Address;
use std::future::Future;

use tokio::sync::{mpsc, watch};

use crate::engine::{Job, Replier, Session};
use crate::node::Settings;
use crate::remote::Served;
use crate::wire::{self, Answer, Failure};
use crate::{Remote, RemoteError};

/// Publishes `address` as `name`: serves its messages, announces it, and starts the
/// task that serves it (and, when the actor stops, says why and withdraws the name).
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
    let (jobs, queue) = mpsc::unbounded_channel();
    let served = session.serve(&name, jobs).await?;
    let announced = session.announce(&name).await?;
    Ok(tokio::spawn(async move {
        let reason = serve(&address, queue, closing).await;
        // Why it stopped goes out before the name is withdrawn: a remote address that
        // sees the name go knows the reason already (or soon after).
        if let Some(reason) = reason {
            if let Ok(bytes) = wire::encode(&wire::Stopped::from(&reason)) {
                session.tell_stopped(&name, bytes).await;
            }
        }
        drop((announced, served));
    }))
}

/// Serves what comes until the actor stops (its reason) or the node closes (`None`,
/// unless the actor has stopped by then).
async fn serve<A: Remote>(
    address: &Address<A>,
    mut queue: mpsc::UnboundedReceiver<Job>,
    mut closing: watch::Receiver<bool>,
) -> Option<messages::StopReason> {
    let stopped = address.wait_for_stop();
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            biased;
            () = async { drop(closing.wait_for(|closing| *closing).await) } => {
                // Closing: an actor that has stopped still says why.
                return stopped_by_now(address);
            }
            job = queue.recv() => match job? {
                Job::Request(payload, replier) => serve_request(address, payload, replier).await,
                Job::Notification(bytes) => {
                    let _ = serve_frame(address, &bytes).await;
                }
            },
            reason = &mut stopped => return Some(reason),
        }
    }
}

/// Why the actor stopped, if it has.
fn stopped_by_now<A: Remote>(address: &Address<A>) -> Option<messages::StopReason> {
    let mut stopped = std::pin::pin!(address.wait_for_stop());
    let mut look = std::task::Context::from_waker(std::task::Waker::noop());
    match stopped.as_mut().poll(&mut look) {
        std::task::Poll::Ready(reason) => Some(reason),
        std::task::Poll::Pending => None,
    }
}

/// Serves one request, and replies once its answer is there (in a task of its own:
/// the next message is served meanwhile).
async fn serve_request<A: Remote>(address: &Address<A>, payload: Vec<u8>, replier: Replier) {
    match serve_frame(address, &payload).await {
        Ok(Some(answer)) => {
            tokio::spawn(async move {
                let answer = answer.await;
                let answer = match &answer {
                    Ok(value) => Answer::Value(value),
                    Err(error) => Answer::Failed((*error).into()),
                };
                replier.reply(wire::answer(&answer)).await;
            });
        }
        Ok(None) => replier.reply(wire::answer(&Answer::Value(&[]))).await,
        Err(failure) => replier.reply(wire::answer(&Answer::Failed(failure))).await,
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
        tag => match A::serve(tag, frame.payload, address) {
            Some(serving) => {
                let Served(served) = serving.await;
                served
            }
            None => Err(Failure::Malformed),
        },
    }
}
