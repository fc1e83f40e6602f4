//! 10 — chat: a room actor broadcasting to connection actors, typed addresses throughout.
//!
//! Each WebSocket client gets a `Connection` actor; they all talk to one `Room`. A
//! client's first frame is its name, every later frame a line said in the room; the
//! room sends each line to every member. Joins, lines and departures are notifications,
//! so no actor ever waits on another (no request cycles).
//!
//! `cargo run --example 10_chat -- server 127.0.0.1:9002`, then in two terminals
//! `cargo run --example 10_chat -- client ws://127.0.0.1:9002 bob --until "alice: hi"`
//! and `cargo run --example 10_chat -- client ws://127.0.0.1:9002 alice hi`.

use futures::stream::SplitSink;
use futures::{SinkExt, StreamExt};
use messages::ActorId;
use messages::prelude::*;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

/// The room: who is in it, by name.
#[actor]
#[derive(Debug, Default)]
pub struct Room {
    members: Vec<(String, ConnectionAddress)>,
}

#[actor]
impl Room {
    /// A member arrives.
    #[notify]
    pub async fn join(&mut self, name: String, member: ConnectionAddress) {
        self.members.push((name.clone(), member));
        self.broadcast(format!("* {name} joined")).await;
    }

    /// A member says something.
    #[notify]
    pub async fn say(&mut self, name: String, text: String) {
        self.broadcast(format!("{name}: {text}")).await;
    }

    /// A member leaves.
    #[notify]
    pub async fn leave(&mut self, member: ActorId) {
        if let Some(index) = self
            .members
            .iter()
            .position(|(_, address)| address.id() == member)
        {
            let (name, _) = self.members.remove(index);
            self.broadcast(format!("* {name} left")).await;
        }
    }

    async fn broadcast(&mut self, line: String) {
        println!("room: {line}");
        let mut gone = Vec::new();
        for (_, member) in &self.members {
            if member.deliver(line.clone()).await.is_err() {
                gone.push(member.id());
            }
        }
        self.members
            .retain(|(_, member)| !gone.contains(&member.id()));
    }
}

/// One client: its socket's write half, its name once known, and the room.
#[actor]
#[derive(Debug)]
pub struct Connection {
    sink: SplitSink<WebSocketStream<TcpStream>, Message>,
    name: Option<String>,
    room: RoomAddress,
}

#[actor]
impl Connection {
    /// A line from the room, for this client.
    #[notify]
    pub async fn deliver(&mut self, line: String, ctx: &Context<Self>) {
        if self.sink.send(Message::text(line)).await.is_err() {
            ctx.stop();
        }
    }
}

/// Frames from the client (the plain trait API, beside the generated handlers).
impl Notifiable<Result<Message, WsError>> for Connection {
    async fn notify(&mut self, frame: Result<Message, WsError>, ctx: &Context<Self>) {
        let text = match frame {
            Ok(Message::Text(text)) => text.to_string(),
            Ok(Message::Close(_)) | Err(_) => return self.disconnect(ctx).await,
            Ok(_) => return,
        };
        match &self.name {
            None => {
                self.name = Some(text.clone());
                let me: ConnectionAddress = ctx.address().into();
                let _ = self.room.join(text, me).await;
            }
            Some(name) => {
                let _ = self.room.say(name.clone(), text).await;
            }
        }
    }
}

/// The client's stream ended.
struct Disconnected;

impl Notifiable<Disconnected> for Connection {
    async fn notify(&mut self, _: Disconnected, ctx: &Context<Self>) {
        self.disconnect(ctx).await;
    }
}

impl Connection {
    async fn disconnect(&mut self, ctx: &Context<Self>) {
        let _ = self.room.leave(ctx.id()).await;
        ctx.stop();
    }
}

async fn serve(address: &str) -> std::io::Result<()> {
    let listener = TcpListener::bind(address).await?;
    println!("listening on ws://{}", listener.local_addr()?);
    let room = Room::default().spawn();
    loop {
        let (socket, _) = listener.accept().await?;
        let room = room.clone();
        tokio::spawn(async move {
            let Ok(websocket) = tokio_tungstenite::accept_async(socket).await else {
                return;
            };
            let (sink, frames) = websocket.split();
            let context = Context::new();
            context.add_stream_with_end(frames, Disconnected);
            drop(context.spawn(Connection {
                sink,
                name: None,
                room,
            }));
        });
    }
}

/// Joins as `name`, says each line once the room has announced the join, prints every
/// line received, and leaves once a line contains `until`.
async fn client(url: &str, name: &str, lines: &[String], until: &str) -> Result<(), WsError> {
    let (mut websocket, _) = tokio_tungstenite::connect_async(url).await?;
    websocket.send(Message::text(name)).await?;
    let joined = format!("* {name} joined");
    while let Some(frame) = websocket.next().await {
        let frame = frame?;
        let Ok(text) = frame.to_text() else { continue };
        println!("{text}");
        if text == joined {
            for line in lines {
                websocket.send(Message::text(line.as_str())).await?;
            }
        }
        if text.contains(until) {
            break;
        }
    }
    websocket.close(None).await
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("server") => {
            let address = args.get(1).map_or("127.0.0.1:9002", String::as_str);
            if let Err(error) = serve(address).await {
                eprintln!("server: {error}");
            }
        }
        Some("client") if args.len() >= 3 => {
            let (url, name) = (&args[1], &args[2]);
            let mut lines = Vec::new();
            let mut until = None;
            let mut rest = args[3..].iter();
            while let Some(arg) = rest.next() {
                if arg == "--until" {
                    until = rest.next().cloned();
                } else {
                    lines.push(arg.clone());
                }
            }
            // By default: leave once the room has echoed our own last line.
            let until = until.unwrap_or_else(|| match lines.last() {
                Some(last) => format!("{name}: {last}"),
                None => format!("* {name} joined"),
            });
            if let Err(error) = client(url, name, &lines, &until).await {
                eprintln!("client: {error}");
                std::process::exit(1);
            }
        }
        _ => {
            eprintln!("usage: 10_chat server [ADDRESS] | client URL NAME [LINE...] [--until TEXT]")
        }
    }
}
