//! 09 — websocket: an actor per connection, over a real WebSocket library.
//!
//! The server accepts connections and gives each its own actor. The connection's
//! incoming frames are attached to the actor as a stream (`add_stream`): each frame
//! arrives as a notification, and the stream alone keeps the actor alive until the
//! client goes away. The actor echoes every text frame back.
//!
//! `cargo run --example 09_websocket -- server 127.0.0.1:9001` serves (port 0 picks a
//! free one; the address is printed), and
//! `cargo run --example 09_websocket -- client ws://127.0.0.1:9001 hello world`
//! sends each word and prints the echoes.

use futures::stream::SplitSink;
use futures::{SinkExt, StreamExt};
use messages::prelude::*;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

/// One client connection: writes go through the sink it owns.
struct Connection {
    sink: SplitSink<WebSocketStream<TcpStream>, Message>,
    peer: String,
}

impl Actor for Connection {
    async fn started(&mut self, _: &Context<Self>) {
        println!("{}: connected", self.peer);
    }

    async fn stopped(&mut self) {
        println!("{}: closed", self.peer);
    }
}

/// Every incoming frame (or read error) arrives here, in order.
impl Notifiable<Result<Message, WsError>> for Connection {
    async fn notify(&mut self, frame: Result<Message, WsError>, ctx: &Context<Self>) {
        match frame {
            Ok(Message::Text(text)) => {
                if self.sink.send(Message::Text(text)).await.is_err() {
                    ctx.stop();
                }
            }
            Ok(Message::Close(_)) | Err(_) => ctx.stop(),
            Ok(_) => {} // pings are answered by the library; binary frames ignored
        }
    }
}

async fn serve(address: &str) -> std::io::Result<()> {
    let listener = TcpListener::bind(address).await?;
    println!("listening on ws://{}", listener.local_addr()?);
    loop {
        let (socket, peer) = listener.accept().await?;
        tokio::spawn(async move {
            let Ok(websocket) = tokio_tungstenite::accept_async(socket).await else {
                return;
            };
            let (sink, frames) = websocket.split();
            let context = Context::new();
            // No address is kept: the attached stream keeps the actor alive until the
            // client disconnects.
            context.add_stream(frames);
            drop(context.spawn(Connection {
                sink,
                peer: peer.to_string(),
            }));
        });
    }
}

async fn client(url: &str, words: Vec<String>) -> Result<(), WsError> {
    let (mut websocket, _) = tokio_tungstenite::connect_async(url).await?;
    for word in words {
        websocket.send(Message::text(word)).await?;
        if let Some(echo) = websocket.next().await {
            println!("echo: {}", echo?.to_text()?);
        }
    }
    websocket.close(None).await
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("server") => {
            let address = args.get(1).map_or("127.0.0.1:9001", String::as_str);
            if let Err(error) = serve(address).await {
                eprintln!("server: {error}");
            }
        }
        Some("client") => {
            let url = args.get(1).map_or("ws://127.0.0.1:9001", String::as_str);
            let mut words: Vec<String> = args.iter().skip(2).cloned().collect();
            if words.is_empty() {
                words = vec!["hello".into(), "world".into()];
            }
            if let Err(error) = client(url, words).await {
                eprintln!("client: {error}");
                std::process::exit(1);
            }
        }
        _ => eprintln!("usage: 09_websocket server [ADDRESS] | client [URL] [WORD...]"),
    }
}
