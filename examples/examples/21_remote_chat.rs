//! 21 — a chat room across three processes: the room in one, a member in each other.
//!
//! Every process runs a `Node`. The room publishes itself as `room`; each member
//! publishes itself as `member-NAME`, looks the room up and joins; the room looks the
//! member up in turn and, from then on, sends it every line said in the room. Typed
//! remote calls both ways, notifications for the lines. Run it in three terminals:
//!
//! ```text
//! cargo run --example 21_remote_chat -- room tcp/127.0.0.1:7448
//! cargo run --example 21_remote_chat -- member bob tcp/127.0.0.1:7448 2
//! cargo run --example 21_remote_chat -- member alice tcp/127.0.0.1:7448 2 hi bye
//! ```
//!
//! A member says its lines (the words after the count), and leaves once it has heard
//! `count` lines; the room closes when its last member leaves.

use std::time::Duration;

use messages::prelude::*;
use messages_remote::Node;

/// The room: who is in, and where their lines go.
#[actor]
#[derive(Debug)]
pub struct Room {
    node: Node,
    members: Vec<(String, MemberAddress)>,
    joined: usize,
}

#[actor(remote)]
impl Room {
    /// `name` joins: the room looks its member up on the cluster.
    #[handler]
    pub async fn join(&mut self, name: String) -> Result<usize, String> {
        let published = format!("member-{name}");
        let lookup = self
            .node
            .lookup_within::<Member>(&published, Duration::from_secs(10));
        let member = lookup.await.map_err(|error| error.to_string())?;
        self.members.push((name, member));
        self.joined += 1;
        Ok(self.members.len())
    }

    /// Sends `text` from `from` to every member (the sender too).
    #[notify]
    pub async fn say(&mut self, from: String, text: String) {
        for (_, member) in &self.members {
            let _ = member.hear(from.clone(), text.clone()).await;
        }
    }

    /// `name` leaves (a request: the member knows it is out before it goes); the
    /// room stops with its last member.
    #[handler]
    pub fn leave(&mut self, name: String, ctx: &Context<Self>) {
        self.members.retain(|(member, _)| *member != name);
        if self.members.is_empty() && self.joined > 0 {
            ctx.stop();
        }
    }
}

/// A member: prints what it hears, and says when it heard enough.
#[actor]
#[derive(Debug)]
pub struct Member {
    expected: usize,
    heard: usize,
    done: Option<tokio::sync::oneshot::Sender<()>>,
}

#[actor(remote)]
impl Member {
    /// A line said in the room.
    #[notify]
    pub fn hear(&mut self, from: String, text: String) {
        println!("{from}: {text}");
        self.heard += 1;
        if self.heard == self.expected {
            if let Some(done) = self.done.take() {
                let _ = done.send(());
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["room", endpoint] => room(endpoint).await,
        ["member", name, endpoint, expected, lines @ ..] => {
            member(name, endpoint, expected.parse()?, lines).await
        }
        _ => {
            eprintln!("usage: 21_remote_chat room ENDPOINT | member NAME ENDPOINT COUNT [LINE..]");
            std::process::exit(2);
        }
    }
}

async fn room(endpoint: &str) -> Result<(), Box<dyn std::error::Error>> {
    let node = Node::builder().listen(endpoint).start().await?;
    let room: RoomAddress = Room {
        node: node.clone(),
        members: Vec::new(),
        joined: 0,
    }
    .spawn();
    node.publish("room", &room).await?;
    println!("room open on {endpoint}");
    let reason = room.wait_for_stop().await;
    node.close().await;
    println!("room closed: {reason}");
    Ok(())
}

async fn member(
    name: &str,
    endpoint: &str,
    expected: usize,
    lines: &[&str],
) -> Result<(), Box<dyn std::error::Error>> {
    let node = Node::builder().connect(endpoint).start().await?;
    let (done, heard_enough) = tokio::sync::oneshot::channel();
    let me: MemberAddress = Member {
        expected,
        heard: 0,
        done: Some(done),
    }
    .spawn();
    node.publish(&format!("member-{name}"), &me).await?;
    let room = node
        .lookup_within::<Room>("room", Duration::from_secs(10))
        .await?;
    let members = room.join(name.to_owned()).await??;
    println!("{name} joined ({members} in the room)");
    for line in lines {
        room.say(name.to_owned(), (*line).to_owned()).await?;
    }
    heard_enough.await?;
    room.leave(name.to_owned()).await?;
    node.close().await;
    Ok(())
}
