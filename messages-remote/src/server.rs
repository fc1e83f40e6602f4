//! The serving side: an actor published under a name, whose node takes requests
//! (a queryable) and notifications (a subscriber) off the wire, in the order they
//! came, and queues them to the actor.

use messages::Address;
use std::future::Future;

use tokio::sync::{mpsc, watch};
use zenoh::Session;
use zenoh::qos::CongestionControl;
use zenoh::query::Query;

use crate::node::Settings;
use crate::remote::Served;
use crate::wire::{self, Answer, Failure};
use crate::{Remote, RemoteError};

/// What came for the actor, in order.
enum Job {
    Request(Query),
    Notification(Vec<u8>),
}

/// Publishes `address` as `name`: declares its queryable, subscriber and liveliness
/// token, and starts the task that serves it.
pub(crate) async fn publish<A: Remote>(
    session: Session,
    settings: Settings,
    name: String,
    address: Address<A>,
    closing: watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<()>, RemoteError> {
    if crate::client::is_published(
        &session,
        &settings,
        &name,
        settings
            .lookup_timeout
            .min(std::time::Duration::from_millis(500)),
    )
    .await?
    {
        return Err(RemoteError::NameTaken(name));
    }
    let key = settings.actor_key(&name);
    // One queue for both, filled from the engine's callbacks in the order the
    // messages arrive: FIFO per sender holds across requests and notifications.
    let (jobs, queue) = mpsc::unbounded_channel();
    let requests = jobs.clone();
    let queryable = session
        .declare_queryable(&key)
        .callback(move |query| {
            let _ = requests.send(Job::Request(query));
        })
        .await
        .map_err(RemoteError::engine)?;
    let subscriber = session
        .declare_subscriber(&key)
        .callback(move |sample| {
            let _ = jobs.send(Job::Notification(sample.payload().to_bytes().into_owned()));
        })
        .await
        .map_err(RemoteError::engine)?;
    let token = session
        .liveliness()
        .declare_token(settings.alive_key(&name))
        .await
        .map_err(RemoteError::engine)?;
    Ok(tokio::spawn(async move {
        let reason = serve(&address, queue, closing).await;
        // Why it stopped goes out before the token: a remote address that sees the
        // token go knows the reason already.
        if let Some(reason) = reason {
            if let Ok(bytes) = wire::encode(&wire::Stopped::from(&reason)) {
                let _ = session
                    .put(settings.stopped_key(&name), bytes)
                    .congestion_control(CongestionControl::Block)
                    .await;
            }
        }
        drop((token, queryable, subscriber));
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
                Job::Request(query) => serve_request(address, query).await,
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
async fn serve_request<A: Remote>(address: &Address<A>, query: Query) {
    let bytes = query
        .payload()
        .map(|payload| payload.to_bytes().into_owned())
        .unwrap_or_default();
    match serve_frame(address, &bytes).await {
        Ok(Some(answer)) => {
            tokio::spawn(async move {
                let answer = answer.await;
                reply(
                    &query,
                    &match &answer {
                        Ok(value) => Answer::Value(value),
                        Err(error) => Answer::Failed((*error).into()),
                    },
                )
                .await;
            });
        }
        Ok(None) => reply(&query, &Answer::Value(&[])).await,
        Err(failure) => reply(&query, &Answer::Failed(failure)).await,
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

async fn reply(query: &Query, answer: &Answer<'_>) {
    let _ = query
        .reply(query.key_expr().clone(), wire::answer(answer))
        .await;
}
